/**
 * midi-writer-js 3.2.1 ships its declarations (build/types) but its package.json
 * `exports` map names no `types`, so TypeScript's bundler resolution finds the JS and
 * no types. This points the bare specifier at the shipped declarations.
 */
declare module 'midi-writer-js' {
  const MidiWriter: typeof import('../../../node_modules/midi-writer-js/build/types/main').default;
  export default MidiWriter;
}
