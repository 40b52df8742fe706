// Electron's own type definitions (electron@38.8.6, MIT, see LICENSE), kept in the repository
// because the electron package is optional: where its binary download fails, npm removes the
// package and its types with it, and the app code must still typecheck. tsconfig `paths` maps
// 'electron' here, so the installed copy is never loaded beside this one.
/// <reference path="./electron-namespace.d.ts" />
export = Electron.CrossProcessExports;
