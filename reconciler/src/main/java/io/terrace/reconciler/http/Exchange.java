package io.terrace.reconciler.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its answer as the routes see them: the path, headers and client address to
 * read, and one way to answer (status, content type, body). Every answer ends the exchange; the
 * security and caching headers were set when it began.
 */
record Exchange(Request request, Response response, Callback callback) {

    /** The decoded path, without the query. */
    String path() {
        return Request.getPathInContext(request);
    }

    String method() {
        return request.getMethod();
    }

    /** The first value of a request header. */
    Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    List<String> headers(String name) {
        return request.getHeaders().getValuesList(name);
    }

    /** The query as sent, still %-encoded. */
    Optional<String> rawQuery() {
        return Optional.ofNullable(request.getHttpURI().getQuery());
    }

    String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    void send(int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put("Content-Type", contentType);
        if (method().equals("HEAD")) {
            response.write(true, null, callback);
            return;
        }
        response.getHeaders().put("Content-Length", bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** An answer without a body: a redirect, the headers set before. */
    void sendEmpty(int status) {
        response.setStatus(status);
        response.getHeaders().put("Content-Length", 0);
        response.write(true, null, callback);
    }
}
