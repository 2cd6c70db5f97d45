/** The native folder picker (the only plugin the window may use). */
export { chooseFolder } from '../backend';
