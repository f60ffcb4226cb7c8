package org.millrace.serving.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.millrace.common.Json;

/**
 * An error answer in the OpenAI shape: {@code {"error": {"message", "type", "param", "code"}}} with
 * its HTTP status.
 */
public record ApiError(int status, String type, String message, String param, String code) {
    public static final String INVALID_REQUEST = "invalid_request_error";

    public static ApiError invalidJson(String detail) {
        return new ApiError(400, INVALID_REQUEST, "We could not parse the JSON body of your request: " + detail
                + ". Send a JSON object (Content-Type: application/json).", null, "invalid_json");
    }

    public static ApiError invalidType(String param, String expected, String got) {
        return new ApiError(400, INVALID_REQUEST, "Invalid type for '" + param + "': expected " + expected
                + ", but got " + got + " instead.", param, "invalid_type");
    }

    public static ApiError invalidValue(String param, String message) {
        return new ApiError(400, INVALID_REQUEST, message, param, "invalid_value");
    }

    public static ApiError missing(String param) {
        return new ApiError(400, INVALID_REQUEST, "Missing required parameter: '" + param + "'.", param,
                "missing_required_parameter");
    }

    public static ApiError unknown(String param) {
        return new ApiError(400, INVALID_REQUEST, "Unrecognized request argument supplied: " + param, param,
                "unknown_parameter");
    }

    public static ApiError unsupported(String param, String message) {
        return new ApiError(400, INVALID_REQUEST, message, param, "unsupported_parameter");
    }

    public static ApiError contextLength(String param, int context, int prompt, int completion) {
        return new ApiError(400, INVALID_REQUEST, "This model's maximum context length is " + context
                + " tokens. However, you requested " + (prompt + completion) + " tokens (" + prompt
                + " in the prompt, " + completion + " for the completion). Please reduce the prompt or max_tokens.",
                param, "context_length_exceeded");
    }

    public static ApiError tooLarge(long limit) {
        return new ApiError(413, INVALID_REQUEST, "The request body is larger than " + limit
                + " bytes (millrace.serving.max-body-bytes).", null, "request_too_large");
    }

    public static ApiError overloaded(long retryAfterSeconds) {
        return new ApiError(429, "rate_limit_error", "The server is at capacity: every generation slot and queue place "
                + "is taken. Retry after " + retryAfterSeconds + " s.", null, "rate_limit_exceeded");
    }

    public static ApiError unauthorized() {
        return new ApiError(401, INVALID_REQUEST, "Incorrect or missing API key: send 'Authorization: Bearer <token>' "
                + "with the server's token (the environment variable named by millrace.serving.bearer-token-env, "
                + "MILLRACE_SERVING_TOKEN by default, or millrace.serving.bearer-token).", null, "invalid_api_key");
    }

    public static ApiError notReady() {
        return new ApiError(503, "server_error", "No model is loaded yet: the server is waiting for a first checkpoint.",
                null, "model_not_ready");
    }

    public static ApiError modelNotFound(String model, String served) {
        return new ApiError(404, INVALID_REQUEST, "The model '" + model + "' does not exist; this server serves '"
                + served + "' (any step of its run may be named).", "model", "model_not_found");
    }

    public static ApiError notFound(String method, String path) {
        return new ApiError(404, INVALID_REQUEST, "Unknown endpoint " + method + " " + path
                + "; this server has POST /v1/completions, POST /v1/chat/completions, GET /v1/models, GET /healthz, GET /readyz.",
                null, "not_found");
    }

    public static ApiError methodNotAllowed(String method, String path, String allowed) {
        return new ApiError(405, INVALID_REQUEST, method + " is not allowed on " + path + " (use " + allowed + ").",
                null, "method_not_allowed");
    }

    public static ApiError internal(String message) {
        return new ApiError(500, "server_error", message, null, "internal_error");
    }

    public static ApiError unavailable(String message) {
        return new ApiError(503, "server_error", message, null, "unavailable");
    }

    public ApiException exception() {
        return new ApiException(this);
    }

    public byte[] body() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return Json.write(root);
    }

    /** An {@link ApiError} thrown while a request is read. */
    public static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ApiError error;

        ApiException(ApiError error) {
            super(error.message());
            this.error = error;
        }

        public ApiError error() {
            return error;
        }
    }
}
