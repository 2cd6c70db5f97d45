/** The native folder picker and save dialog (the only plugin the window may use). */
export { chooseFolder, chooseSaveFile } from '../backend';
