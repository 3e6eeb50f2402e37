package io.hookcast.store;

import java.util.List;

/** @param nextCursor where the next page starts, or {@code null} on the last page */
public record MessagePage(List<MessageSummary> messages, String nextCursor) {
}
