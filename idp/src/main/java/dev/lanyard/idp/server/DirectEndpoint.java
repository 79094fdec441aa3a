package dev.lanyard.idp.server;

import io.vertx.core.http.HttpServerRequest;

/**
 * An endpoint the listener hands its requests to before vertx-web's router sees them. For the few machine
 * endpoints called tens of thousands of times a second (the TokenReview webhook): routing a request through
 * the router (matching each route's pattern, a routing context, a body handler) was about a tenth of a
 * review's CPU and garbage. The listener still sets the {@link SecurityHeaders} on what a direct endpoint
 * answers; everything else (method and path checks, the body and its size limit, errors) is the endpoint's.
 */
public interface DirectEndpoint {
  /**
   * Whether this endpoint answers {@code request}. Called for every request, so it must be cheap, and must
   * refuse whatever it is not sure about: the router then answers it the ordinary way.
   */
  boolean accepts(HttpServerRequest request);

  /** Answers a request {@link #accepts} took; called at once, before any of the request's body has been read. */
  void handle(HttpServerRequest request);
}
