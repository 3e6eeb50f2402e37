package io.hookcast.admin.api;

/**
 * An answer other than success, with the short text an operator reads: which parameter is wrong, which message is
 * unknown, that the store does not answer.
 */
final class ApiError extends RuntimeException {

  private final int status;

  ApiError(int status, String message) {
    this(status, message, null);
  }

  /** @param cause what the operator is not shown but the log has */
  ApiError(int status, String message, Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, message);
  }

  int status() {
    return status;
  }
}
