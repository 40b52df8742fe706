import { useEffect, useRef } from 'react';
import { useDialogFocus } from './useDialogFocus.js';

/** A modal confirmation for destructive actions; Escape cancels, focus starts on Cancel, Tab stays inside, and focus returns to the opener. */
export function ConfirmDialog(props: { title: string; body: string; confirmLabel: string; onConfirm: () => void; onCancel: () => void }) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  useDialogFocus(dialog, props.onCancel);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div className="modal-backdrop" onClick={props.onCancel}>
      <div ref={dialog} className="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="confirm-title">{props.title}</h2>
        <p>{props.body}</p>
        <div className="modal-actions">
          <button ref={cancelRef} onClick={props.onCancel}>Cancel</button>
          <button className="danger" onClick={props.onConfirm}>{props.confirmLabel}</button>
        </div>
      </div>
    </div>
  );
}
