// Your name, as typed: checked as it is typed (lobby/name.ts), kept on Enter or when left.
/** The name as typed; kept (onCommit) on Enter and when the field is left. */
export function NameField({ value, error, onChange, onCommit }: { value: string; error: string | undefined; onChange(name: string): void; onCommit(): void }) {
  return (
    <label className="field name-field">
      <span>Your name</span>
      <input
        aria-label="Your name"
        value={value}
        maxLength={64}
        placeholder="Leave empty for a friendly one"
        onChange={(e) => onChange(e.target.value)}
        onBlur={onCommit}
        onKeyDown={(e) => e.key === 'Enter' && onCommit()}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'name-error' : undefined}
      />
      {error && (
        <span className="form-error" id="name-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}
