// What the server takes from the inbound pages: the page functions.
export * from './pages.ts';
