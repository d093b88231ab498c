/** Size limits of everything a trainer can put into a session: each refusal names its limit. */
export const TRAINING_LIMITS = {
  /** Characters of one trainer message. */
  messageChars: 16_000,
  /** Characters of a corrected answer or a rationale. */
  annotationTextChars: 16_000,
  /** Bytes of a tool run's input or output JSON text. */
  toolJsonBytes: 64 * 1024,
  /** Bytes of one attachment. */
  attachmentBytes: 10 * 1024 * 1024,
  /** Attachments per session. */
  attachmentsPerSession: 100,
  /** Events per session (the archive stays a reasonable size). */
  eventsPerSession: 100_000,
  /** Trainer and agent turns the agent sees as history. */
  historyTurns: 40,
  /** Guidance items (explanations, corrections) folded into the draft prompt; the newest win. */
  guidanceItems: 20,
} as const;
