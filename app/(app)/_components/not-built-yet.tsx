/** A plain notice for a section that is planned but not built yet. */
export function NotBuiltYet({ title, what }: { title: string; what: string }) {
  return (
    <section data-test="not-built-yet">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="mt-4 max-w-xl rounded-md border border-dashed border-slate-300 bg-white p-4 text-slate-600">
        Not built yet. {what}
      </p>
    </section>
  );
}
