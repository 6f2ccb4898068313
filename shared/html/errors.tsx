/** What a person sees when something fails: a notice (htmx) or a page. */
export function ErrorNotice({ status, message }: { status: number; message: string }) {
  return (
    <div class={`notice ${status >= 500 ? 'notice-error' : 'notice-warn'}`} role="alert" data-status={status}>
      <strong>{status}</strong> {message}
    </div>
  );
}

export function ErrorPage({ status, message }: { status: number; message: string }) {
  return (
    <section class="panel narrow error-page" data-status={status}>
      <p class="eyebrow">Error {status}</p>
      <h1>{status === 404 ? 'Not found' : status >= 500 ? 'Something went wrong' : 'That did not work'}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </section>
  );
}
