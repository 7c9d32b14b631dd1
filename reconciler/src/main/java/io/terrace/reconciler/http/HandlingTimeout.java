package io.terrace.reconciler.http;

import java.time.Duration;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The two idle timeouts of a connection: short while the server waits for a request head (the
 * connector's), longer once a request is being handled, until its answer is sent (its body may
 * still be arriving, or it may wait for a place), then short again for the next request head.
 */
final class HandlingTimeout extends Handler.Wrapper {

    private final long handling;
    private final long waiting;

    HandlingTimeout(Handler handler, Duration handling, Duration waitingForHead) {
        super(handler);
        this.handling = handling.toMillis();
        this.waiting = waitingForHead.toMillis();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        endPoint.setIdleTimeout(handling);
        return super.handle(request, response, Callback.from(callback, () -> endPoint.setIdleTimeout(waiting)));
    }
}
