// What "Encrypted connections only" means, in the host form and the hosting panel alike.
export function EncryptedOnlyHint({ id }: { id: string }) {
  return (
    <p id={id} className="muted small">
      People using a browser link cannot join; the Hearth app and <code>hearth join</code> can.
    </p>
  );
}
