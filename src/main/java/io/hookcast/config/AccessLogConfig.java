package io.hookcast.config;

/**
 * The webhook log: one line per webhook and per refusal.
 *
 * @param enabled   whether each webhook is logged with its request id and outcome
 * @param fullQuery whether query strings are logged as sent; otherwise each parameter's value is replaced, since
 *                  some senders put a token in the URL and logs travel further than the webhooks
 */
public record AccessLogConfig(boolean enabled, boolean fullQuery) {
}
