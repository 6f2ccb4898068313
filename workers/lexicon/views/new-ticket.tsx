/**
 * The new-ticket form. htmx swaps the answer into #lx-pane: the form again (422 or
 * 429, with the messages by their fields and what was typed) or the new ticket;
 * without JavaScript it is a page of its own.
 */
import { Field, FormError, SelectField, TextareaField } from '../../../shared/html/components';
import { CsrfField } from '../../../shared/html/layout';
import type { FieldErrors } from '../../../shared/http/http-error';
import { TICKETS } from '../paths';
import { MAX_TAGS } from '../schema';
import { PRIORITIES } from '../status';
import { ONCE, SubmissionKey } from './common';

const PRIORITY_OPTIONS = PRIORITIES.map((p) => ({ value: p, label: p }));

/** Tags as the form shows them again: as typed, or (after a refusal of valid input) the list joined. */
function tagsValue(value: unknown): string {
  return Array.isArray(value) ? value.filter((t) => typeof t === 'string').join(', ') : typeof value === 'string' ? value : '';
}

export function NewTicketForm({
  csrf,
  staff,
  values = {},
  errors = {},
  submissionKey,
}: {
  csrf: string;
  staff: boolean;
  values?: Record<string, unknown>;
  errors?: FieldErrors;
  submissionKey?: string | undefined;
}) {
  return (
    <form class="lx-new stack" method="post" action={TICKETS} hx-post={TICKETS} hx-target="#lx-pane" hx-include="#lx-list-queue" {...ONCE}>
      {staff ? <h2>New ticket</h2> : <h1>New ticket</h1>}
      <CsrfField token={csrf} />
      <SubmissionKey value={submissionKey} />
      <FormError message={errors._ ?? errors.idempotencyKey} />
      <Field label="Subject" name="subject" value={values.subject} error={errors.subject} required maxlength={200} autofocus />
      <TextareaField label="What happened?" name="body" value={values.body} error={errors.body} maxlength={20000} />
      {staff && <SelectField label="Priority" name="priority" options={PRIORITY_OPTIONS} value={values.priority ?? 'normal'} error={errors.priority} />}
      <Field
        label="Tags"
        name="tags"
        value={tagsValue(values.tags)}
        error={errors.tags}
        placeholder="laptop, vpn"
        hint={`Separate tags with commas; at most ${MAX_TAGS}.`}
      />
      <div class="actions">
        <button type="submit">Create ticket</button>
      </div>
    </form>
  );
}
