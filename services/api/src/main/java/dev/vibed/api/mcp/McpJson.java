package dev.vibed.api.mcp;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON mapper both MCP servers and our transports use, and the one way a protocol fault is written.
 * The mapper carries a mix-in because the SDK's session-era {@code ElicitRequest} declares its type id as a
 * separate property, which Jackson 3.2 rejects next to the records' own {@code mode}; the mix-in says the id is
 * that existing property.
 */
final class McpJson {
    static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(JsonMapper.builder()
            .addMixIn(McpSchema.ElicitRequest.class, ElicitRequestMixIn.class).build());
    static final JsonSchemaValidator SCHEMAS = new DefaultJsonSchemaValidator();

    // JSON-RPC and MCP error codes we answer with.
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INTERNAL_ERROR = -32603;
    static final int SESSION_NOT_FOUND = -32001;

    private McpJson() {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "mode", visible = true,
            defaultImpl = McpSchema.ElicitFormRequest.class)
    interface ElicitRequestMixIn {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a JSON body; {@code id} may be null (the request could not be read far enough to know it). */
    static void sendJson(ServerResponse res, int status, Object body) {
        res.status(Status.create(status));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(write(body).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A JSON-RPC error envelope, written by hand because the SDK's own response types refuse a null id.
     */
    static void sendError(ServerResponse res, int status, Object id, int code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("error", error);
        sendJson(res, status, body);
    }
}
