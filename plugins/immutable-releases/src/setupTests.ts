import '@testing-library/jest-dom';

// Material UI dialogs and typing through user-event are slow in jsdom on a busy machine.
jest.setTimeout(30_000);
