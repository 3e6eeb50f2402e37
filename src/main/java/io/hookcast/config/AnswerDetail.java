package io.hookcast.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How much of each backend's outcome the sender is told ({@code http.answerDetail}). */
public enum AnswerDetail {
  /** Status, body excerpt, truncation, duration, attempts and error category: the original returned each backend's answer. */
  FULL,
  /** Each backend's status and the aggregate status only, for senders that should learn nothing of the backends. */
  STATUS;

  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<AnswerDetail> of(String jsonName) {
    return Arrays.stream(values()).filter(detail -> detail.jsonName().equals(jsonName)).findFirst();
  }
}
