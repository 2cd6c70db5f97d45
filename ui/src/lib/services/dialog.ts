/** The native folder and file pickers and save dialog (the only plugin the window may use). */
export { chooseFile, chooseFolder, chooseSaveFile } from '../backend';
