package io.hookcast.config;

/** How much of each backend's outcome the sender is told ({@code http.answerDetail}). */
public enum AnswerDetail {
  /** Status, body excerpt, truncation, duration, attempts and error category: the original returned each backend's answer. */
  FULL,
  /** Each backend's status and the aggregate status only, for senders that should learn nothing of the backends. */
  STATUS
}
