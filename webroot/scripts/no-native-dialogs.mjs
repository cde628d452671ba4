// Fails the build when client code calls the browser's own dialogs: prompt(), confirm() and alert() block the page
// (a blocked page stalls the live map for everyone's moves), cannot be styled and are clumsy on phones. The page's
// own dialogs are in src/common/ui/dialogs.js. Usage: node scripts/no-native-dialogs.mjs [folder…] (default: src).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// A call of prompt, confirm or alert, bare or through window/globalThis/self; not a method of something else
// (dialog.confirm(…)) and not part of a longer name (askConfirm(…)).
const CALL = /(?<![\w$.])(?:(?:window|globalThis|self)\s*\.\s*)?(prompt|confirm|alert)\s*\(/g;
const SOURCE = /\.(js|mjs|ts|svelte|html)$/;

function files(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : files(path);
    return SOURCE.test(name) ? [path] : [];
  });
}

/** The code of a line without its // comment (a URL's // inside a string is rare enough in this code base). */
function code(line) {
  const trimmed = line.trim();
  if (trimmed.startsWith('//') || trimmed.startsWith('*') || trimmed.startsWith('/*')) return '';
  const comment = line.indexOf('//');
  return comment >= 0 && !/['"`][^'"`]*\/\//.test(line) ? line.slice(0, comment) : line;
}

const folders = process.argv.slice(2);
const found = [];
for (const folder of folders.length ? folders : ['src']) {
  for (const file of files(folder)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        for (const match of code(line).matchAll(CALL)) found.push(`${relative('.', file)}:${index + 1}: ${match[1]}( — use askConfirm/askText/askFields from src/common/ui/dialogs.js`);
      });
  }
}
if (found.length) {
  console.error(`Native dialogs are not allowed in the client:\n${found.join('\n')}`);
  process.exit(1);
}
console.log('no native dialogs');
