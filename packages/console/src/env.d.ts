/** Single-file components, as TypeScript sees them from .ts files (Vite compiles them). */
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
