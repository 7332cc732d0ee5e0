// What the server takes from the inbound pages: page functions, the file-type catalogue, paths.
export * from './file-types.ts';
export * from './pages.ts';
