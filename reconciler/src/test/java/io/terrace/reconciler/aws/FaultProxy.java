package io.terrace.reconciler.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reverse proxy in front of moto that injects the faults AWS produces: throttling in each
 * protocol's own error shape, 500 and 503, a connection closed before any answer, an answer
 * delayed past the SDK's attempt timeout, and a lost response (the request reaches moto, which
 * acts on it, and the connection is then closed without the answer). Each request is named by
 * service (the SigV4 credential scope) and operation ({@code X-Amz-Target}, the {@code Action} of
 * a query body, or the method and path of a REST API). Faults are drawn from a seeded random
 * sequence, per call in arrival order; every call and every fault is counted by service and
 * operation.
 */
public final class FaultProxy implements AutoCloseable {

    /** The faults the proxy injects. */
    public enum Fault {
        /** The service's throttling error in its protocol's shape (query/XML, JSON, S3, CloudFront). */
        THROTTLE,
        /** 500 InternalFailure with a request id, as AWS answers it. */
        SERVER_ERROR,
        /** 503 ServiceUnavailable. */
        UNAVAILABLE,
        /** The connection closed before the request reaches moto. */
        RESET,
        /** No answer until after the SDK's attempt timeout; the request never reaches moto. */
        DELAY,
        /** The request reaches moto, then the connection is closed without the answer. */
        LOST_RESPONSE
    }

    /** What a request is: the service of its credential scope and the operation it calls. */
    public record Call(String service, String operation) {
        @Override
        public String toString() {
            return service + ":" + operation;
        }
    }

    /** The protocol family of a request, which decides the shape of an injected error. */
    enum Protocol { QUERY, EC2, JSON, REST_JSON, S3, REST_XML }

    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request");
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host",
            "transfer-encoding", "expect", "upgrade", "keep-alive", "te", "trailer", "proxy-connection");

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final SplittableRandom random;
    private final Map<Call, AtomicLong> calls = new ConcurrentHashMap<>();
    private final Map<Call, Map<Fault, AtomicLong>> faults = new ConcurrentHashMap<>();
    private final Set<Call> lostOnce = ConcurrentHashMap.newKeySet();
    private volatile double rate;
    private volatile List<Fault> mix = List.of(Fault.values());
    private volatile Predicate<Call> loseOnce = c -> false;
    private volatile Duration delay = Duration.ofSeconds(3);

    public FaultProxy(URI upstream, long seed) {
        this.upstream = upstream;
        this.random = new SplittableRandom(seed);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every call fails with this probability, with a fault drawn uniformly from {@code kinds}. */
    public FaultProxy failEvery(double probability, Set<Fault> kinds) {
        this.mix = List.copyOf(EnumSet.copyOf(kinds));
        this.rate = probability;
        return this;
    }

    /** The first response of each operation {@code which} accepts is lost (once per service and operation). */
    public FaultProxy loseFirstResponse(Predicate<Call> which) {
        this.loseOnce = which;
        lostOnce.clear();
        return this;
    }

    /** How long a {@link Fault#DELAY delayed} answer waits: past the SDK's attempt timeout. */
    public FaultProxy delay(Duration d) {
        this.delay = d;
        return this;
    }

    /** No faults from now on; the counts stay. */
    public FaultProxy healthy() {
        rate = 0;
        loseOnce = c -> false;
        return this;
    }

    public void resetCounts() {
        calls.clear();
        faults.clear();
    }

    public long calls() {
        return calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long faults() {
        return faults.values().stream().flatMap(m -> m.values().stream()).mapToLong(AtomicLong::get).sum();
    }

    /** Calls by service and operation. */
    public Map<String, Long> callsByOperation() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((c, n) -> out.put(c.toString(), n.get()));
        return out;
    }

    /** Injected faults by service:operation and kind. */
    public Map<String, Long> faultsByOperation() {
        Map<String, Long> out = new TreeMap<>();
        faults.forEach((c, m) -> m.forEach((f, n) -> out.put(c + " " + f, n.get())));
        return out;
    }

    /** The operations whose response was lost. */
    public Set<Call> lost() {
        Set<Call> out = new java.util.TreeSet<>(java.util.Comparator.comparing(Call::toString));
        faults.forEach((c, m) -> {
            if (m.containsKey(Fault.LOST_RESPONSE)) {
                out.add(c);
            }
        });
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            ex.getRequestHeaders().forEach(headers::put);
            String method = ex.getRequestMethod();
            URI uri = ex.getRequestURI();
            Call call = identify(method, uri.getRawPath(), uri.getRawQuery(), headers, body);
            calls.computeIfAbsent(call, c -> new AtomicLong()).incrementAndGet();
            Fault fault = draw(call);
            if (fault != null) {
                faults.computeIfAbsent(call, c -> new ConcurrentHashMap<>())
                        .computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
            }
            if (fault == Fault.RESET) {
                return; // closing the exchange before any answer closes the connection
            }
            if (fault == Fault.DELAY) {
                sleep(delay);
                return;
            }
            if (fault == Fault.THROTTLE || fault == Fault.SERVER_ERROR || fault == Fault.UNAVAILABLE) {
                error(ex, protocol(call, headers), fault);
                return;
            }
            HttpResponse<byte[]> answer = forward(ex, uri, headers, body);
            if (fault == Fault.LOST_RESPONSE) {
                return;
            }
            answer.headers().map().forEach((k, v) -> {
                if (!HOP_HEADERS.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
                    ex.getResponseHeaders().put(k, v);
                }
            });
            byte[] out = answer.body();
            boolean noBody = method.equals("HEAD") || answer.statusCode() == 204 || answer.statusCode() == 304;
            if (noBody) {
                answer.headers().firstValue("content-length").ifPresent(l -> ex.getResponseHeaders().set("Content-Length", l));
            }
            ex.sendResponseHeaders(answer.statusCode(), noBody || out.length == 0 ? -1 : out.length);
            if (!noBody && out.length > 0) {
                ex.getResponseBody().write(out);
            }
        } catch (IOException | RuntimeException e) {
            // The client went away (its timeout) or moto did: the connection closes.
        }
    }

    private synchronized Fault draw(Call call) {
        if (loseOnce.test(call) && lostOnce.add(call)) {
            return Fault.LOST_RESPONSE;
        }
        if (rate <= 0 || random.nextDouble() >= rate) {
            return null;
        }
        List<Fault> kinds = mix;
        return kinds.get(random.nextInt(kinds.size()));
    }

    private HttpResponse<byte[]> forward(HttpExchange ex, URI uri, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve(target)).timeout(Duration.ofSeconds(60))
                .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, v) -> {
            if (!HOP_HEADERS.contains(k.toLowerCase(Locale.ROOT))) {
                v.forEach(value -> b.header(k, value));
            }
        });
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void error(HttpExchange ex, Protocol protocol, Fault fault) throws IOException {
        String requestId = UUID.randomUUID().toString();
        boolean throttle = fault == Fault.THROTTLE;
        String code = throttle ? "Throttling" : fault == Fault.SERVER_ERROR ? "InternalFailure" : "ServiceUnavailable";
        String message = throttle ? "Rate exceeded" : "injected by the fault proxy";
        int status = fault == Fault.SERVER_ERROR ? 500 : fault == Fault.UNAVAILABLE ? 503 : 400;
        String type = "application/xml";
        String body;
        switch (protocol) {
            case JSON -> {
                type = "application/x-amz-json-1.1";
                body = "{\"__type\":\"" + (throttle ? "ThrottlingException" : code) + "\",\"message\":\"" + message + "\"}";
            }
            case REST_JSON -> {
                type = "application/json";
                code = throttle ? "ThrottlingException" : code;
                status = throttle ? 429 : status;
                ex.getResponseHeaders().set("x-amzn-ErrorType", code);
                body = "{\"message\":\"" + message + "\"}";
            }
            case S3 -> {
                code = throttle ? "SlowDown" : code.equals("InternalFailure") ? "InternalError" : code;
                status = throttle ? 503 : status;
                body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message><RequestId>" + requestId + "</RequestId></Error>";
            }
            case EC2 -> {
                code = throttle ? "RequestLimitExceeded" : code.equals("InternalFailure") ? "InternalError" : "Unavailable";
                status = throttle ? 503 : status;
                body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code
                        + "</Code><Message>" + message + "</Message></Error></Errors><RequestID>" + requestId
                        + "</RequestID></Response>";
            }
            default -> body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse><Error><Type>"
                    + (throttle ? "Sender" : "Receiver") + "</Type><Code>" + code + "</Code><Message>" + message
                    + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
        ex.getResponseHeaders().set("x-amz-request-id", requestId);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Protocol protocol(Call call, Map<String, List<String>> headers) {
        if (first(headers, "X-Amz-Target") != null) {
            return Protocol.JSON;
        }
        return switch (call.service()) {
            case "s3" -> Protocol.S3;
            case "ec2" -> Protocol.EC2;
            case "cloudfront", "route53" -> Protocol.REST_XML;
            case "es", "opensearch", "lambda", "apigateway" -> Protocol.REST_JSON;
            default -> Protocol.QUERY;
        };
    }

    /**
     * Names a request: its service from the credential scope of the SigV4 {@code Authorization}
     * header, its operation from {@code X-Amz-Target} (JSON protocols), the {@code Action} of a
     * query or form body (query protocols), else from the method and path (REST APIs).
     */
    public static Call identify(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
            byte[] body) {
        String auth = first(headers, "Authorization");
        String service = "unknown";
        if (auth != null) {
            Matcher m = SCOPE.matcher(auth);
            if (m.find()) {
                service = m.group(2);
            }
        }
        String target = first(headers, "X-Amz-Target");
        if (target != null) {
            return new Call(service, target.substring(target.lastIndexOf('.') + 1));
        }
        String action = param(rawQuery, "Action");
        if (action == null && body.length > 0) {
            String type = String.valueOf(first(headers, "Content-Type"));
            if (type.startsWith("application/x-www-form-urlencoded")) {
                action = param(new String(body, StandardCharsets.UTF_8), "Action");
            }
        }
        if (action != null) {
            return new Call(service, action);
        }
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        return new Call(service, switch (service) {
            case "s3" -> s3Operation(method, path, rawQuery);
            case "cloudfront" -> cloudFrontOperation(method, path, rawQuery);
            case "es" -> openSearchOperation(method, path);
            default -> method + " " + path;
        });
    }

    private static String s3Operation(String method, String path, String query) {
        List<String> parts = segments(path);
        if (parts.isEmpty()) {
            return method.equals("GET") ? "ListBuckets" : method + " /";
        }
        String verb = switch (method) {
            case "PUT" -> "Put";
            case "DELETE" -> "Delete";
            case "HEAD" -> "Head";
            case "POST" -> "Post";
            default -> "Get";
        };
        if (parts.size() > 1) {
            return verb + "Object";
        }
        String sub = query == null || query.isEmpty() ? "" : query.split("[&=]")[0];
        if (sub.isEmpty()) {
            return switch (method) {
                case "PUT" -> "CreateBucket";
                case "GET" -> "ListObjects";
                default -> verb + "Bucket";
            };
        }
        if (sub.equals("list-type")) {
            return "ListObjectsV2";
        }
        if (sub.equals("delete")) {
            return "DeleteObjects";
        }
        return verb + "Bucket" + camel(sub);
    }

    private static String cloudFrontOperation(String method, String path, String query) {
        List<String> parts = segments(path);
        if (!parts.isEmpty() && parts.get(0).matches("\\d{4}-\\d{2}-\\d{2}")) {
            parts = parts.subList(1, parts.size());
        }
        if (parts.isEmpty()) {
            return method + " " + path;
        }
        String resource = camel(parts.get(0));
        if (parts.get(0).equals("tagging")) {
            String op = param(query, "Operation");
            return method.equals("GET") ? "ListTagsForResource" : op == null ? "TagResource" : op + "Resource";
        }
        boolean withTags = query != null && query.contains("WithTags");
        if (parts.size() == 1) {
            return switch (method) {
                case "POST" -> "Create" + resource + (withTags ? "WithTags" : "");
                case "GET" -> "List" + resource + "s";
                default -> method + " " + resource;
            };
        }
        String suffix = parts.size() > 2 ? camel(parts.get(parts.size() - 1)) : "";
        return switch (method) {
            case "GET" -> "Get" + resource + suffix;
            case "PUT" -> "Update" + resource;
            case "DELETE" -> "Delete" + resource;
            case "POST" -> (suffix.isEmpty() ? "Post" : "Create") + resource + suffix;
            default -> method + " " + resource;
        };
    }

    private static String openSearchOperation(String method, String path) {
        List<String> parts = segments(path);
        String rest = String.join("/", parts.subList(Math.min(1, parts.size()), parts.size()));
        if (rest.equals("opensearch/domain") && method.equals("POST")) {
            return "CreateDomain";
        }
        if (rest.equals("domain") && method.equals("GET")) {
            return "ListDomainNames";
        }
        if (rest.startsWith("opensearch/domain/")) {
            String[] p = rest.split("/");
            if (p.length == 3) {
                return method.equals("DELETE") ? "DeleteDomain" : "DescribeDomain";
            }
            if (p.length == 4 && p[3].equals("config")) {
                return method.equals("POST") ? "UpdateDomainConfig" : "DescribeDomainConfig";
            }
        }
        if (rest.equals("opensearch/domain-info")) {
            return "DescribeDomains";
        }
        if (rest.startsWith("tags")) {
            return method.equals("GET") ? "ListTags" : method.equals("POST") && rest.startsWith("tags-removal")
                    ? "RemoveTags" : "AddTags";
        }
        return method + " /" + rest;
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static String camel(String s) {
        StringBuilder b = new StringBuilder();
        for (String w : s.split("[-_]")) {
            if (!w.isEmpty()) {
                b.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
            }
        }
        return b.toString();
    }

    private static String param(String form, String name) {
        if (form == null) {
            return null;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}
