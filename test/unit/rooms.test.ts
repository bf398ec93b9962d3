/**
 * The house rules, checked on the source tree: every folder of src/ is a room whose entry file says, in its
 * opening comment, what it owns (`Room src/x: …`) and which rooms it may import (`May import: …`); no file
 * imports from a room its room does not declare; a room holds at most 12 files unless it is a folder of
 * siblings of one kind (its declaration says "one file per"); no source file passes 400 lines; src/core
 * imports neither vscode nor the DOM's globals through a package; CONTRIBUTING.md's map of the rooms
 * matches the declarations.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
const MAX_FILES = 12;
const MAX_LINES = 400;

function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true })
    .map((f) => path.join(dir, String(f)).split(path.sep).join('/'))
    .filter((f) => f.endsWith('.ts'));
}

interface Room {
  readonly entry: string;
  readonly owns: string;
  readonly imports: Set<string>;
}

function readRooms(files: string[]): Map<string, Room> {
  const rooms = new Map<string, Room>();
  for (const f of files) {
    const text = fs.readFileSync(path.join(root, f), 'utf8');
    const head = text.startsWith('/**') ? text.slice(0, text.indexOf('*/')) : '';
    const room = /^ \* Room (\S+): (.+)$/m.exec(head);
    if (!room) continue;
    const may = /^ \* May import: (.*)\.$/m.exec(head);
    assert.ok(may, `${f} declares room ${room[1]} without a "May import:" line`);
    assert.ok(!rooms.has(room[1]), `room ${room[1]} is declared twice (${rooms.get(room[1])?.entry} and ${f})`);
    const imports = new Set(may[1] === 'nothing' ? [] : may[1].split(/,\s*/));
    rooms.set(room[1], { entry: f, owns: room[2], imports });
  }
  return rooms;
}

/** The folder of the file a relative specifier names (a folder with an index.ts counts as that file). */
function targetRoom(from: string, spec: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  if (fs.existsSync(path.join(root, `${base}.ts`))) return path.posix.dirname(base);
  if (fs.existsSync(path.join(root, base, 'index.ts'))) return base;
  return path.posix.dirname(base);
}

describe('house rules (rooms)', () => {
  const files = tsFiles('src');
  const rooms = readRooms(files);
  const roomOf = (f: string) => path.posix.dirname(f);

  it('every folder of src is a room declared by one entry file', () => {
    const folders = new Set(files.map(roomOf));
    for (const folder of folders)
      assert.ok(rooms.has(folder), `${folder} has no entry file declaring "Room ${folder}: …"`);
    for (const [name, room] of rooms) {
      assert.equal(roomOf(room.entry), name, `${room.entry} declares a room other than its own folder`);
      for (const dep of room.imports) {
        assert.ok(dep === 'vscode' || rooms.has(dep), `${name} declares an import from ${dep}, which is not a room`);
      }
    }
  });

  it('no file imports from a room its room does not declare', () => {
    const wrong: string[] = [];
    for (const f of files) {
      const room = rooms.get(roomOf(f));
      if (!room) continue;
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s+'([^']+)'/g)) {
        const spec = m[1];
        if (spec.startsWith('.')) {
          const target = targetRoom(f, spec);
          if (target !== roomOf(f) && !room.imports.has(target)) wrong.push(`${f} imports ${spec} (room ${target})`);
        } else if (spec === 'vscode' && !room.imports.has('vscode')) {
          wrong.push(`${f} imports vscode`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('a room holds at most 12 files, unless it is a folder of siblings of one kind', () => {
    const counts = new Map<string, number>();
    for (const f of files) counts.set(roomOf(f), (counts.get(roomOf(f)) ?? 0) + 1);
    for (const [name, n] of counts) {
      if (n <= MAX_FILES) continue;
      const room = rooms.get(name);
      assert.ok(room && /one file per/i.test(room.owns), `${name} holds ${n} files and is not a folder of siblings`);
    }
  });

  it('no source file passes 400 lines', () => {
    const long = [...files, ...tsFiles('test'), ...tsFiles('bench'), ...tsFiles('scripts')]
      .map((f) => ({ f, lines: fs.readFileSync(path.join(root, f), 'utf8').split('\n').length - 1 }))
      .filter((x) => x.lines > MAX_LINES)
      .map((x) => `${x.f}: ${x.lines}`);
    assert.deepEqual(long, []);
  });

  it("CONTRIBUTING.md's map lists every room with the imports it declares", () => {
    const map = new Map<string, string>();
    for (const m of fs
      .readFileSync(path.join(root, 'CONTRIBUTING.md'), 'utf8')
      .matchAll(/^\| `(src[^`]*)` \|.*\| (.*) \|$/gm))
      map.set(m[1], m[2]);
    const want = new Map([...rooms].map(([name, room]) => [name, [...room.imports].join(', ') || 'nothing']));
    const differ = [...new Set([...want.keys(), ...map.keys()])]
      .filter((name) => want.get(name) !== map.get(name))
      .map((name) => `| \`${name}\` | … | ${want.get(name) ?? '(no such room)'} |`);
    assert.deepEqual(differ, [], 'rows of the rooms table in CONTRIBUTING.md to write as shown');
  });
});
