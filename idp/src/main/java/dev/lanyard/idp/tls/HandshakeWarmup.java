package dev.lanyard.idp.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * One TLS handshake and one record between two in-memory engines, run on a spare thread while storage opens.
 *
 * <p>Why: the first real handshake after start-up cost ~110 ms, nearly all of it loading, linking and
 * initialising the TLS engine's classes and native state (BoringSSL's or the JDK's) and running their code
 * cold. Doing that once beforehand, with the same provider, key and ALPN protocols as the listeners, moves
 * the work off the path between "listening" and the first client's answer. Nothing of this handshake is
 * kept; a failure here only means the first client pays as before.
 */
public final class HandshakeWarmup {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HandshakeWarmup.class);
  private static final int MAX_STEPS = 20;

  private HandshakeWarmup() {}

  /** Runs the handshake; never throws. */
  public static void run(KeyManager serverKey, boolean openSsl) {
    SSLEngine server = null;
    SSLEngine client = null;
    try {
      SslProvider provider = openSsl ? SslProvider.OPENSSL : SslProvider.JDK;
      ApplicationProtocolConfig alpn = new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
          ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
      SslContext serverContext = SslContextBuilder.forServer(serverKey).sslProvider(provider)
          .applicationProtocolConfig(alpn).build();
      SslContext clientContext = SslContextBuilder.forClient().sslProvider(provider)
          .trustManager(InsecureTrustManagerFactory.INSTANCE).applicationProtocolConfig(alpn).build();
      server = serverContext.newEngine(ByteBufAllocator.DEFAULT);
      client = clientContext.newEngine(ByteBufAllocator.DEFAULT, "localhost", 443);
      handshake(client, server);
    } catch (Exception | LinkageError e) {
      log.debug("TLS warm-up failed; the first client's handshake will be slower", e);
    } finally {
      close(client);
      close(server);
    }
  }

  private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
    int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
    int app = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
    ByteBuffer toServer = ByteBuffer.allocate(packet);
    ByteBuffer toClient = ByteBuffer.allocate(packet);
    ByteBuffer received = ByteBuffer.allocate(app);
    ByteBuffer nothing = ByteBuffer.allocate(0);
    client.beginHandshake();
    server.beginHandshake();
    for (int step = 0; step < MAX_STEPS && !(done(client) && done(server)); step++) {
      exchange(client, nothing, toServer, server, received);
      exchange(server, nothing, toClient, client, received);
    }
    exchange(client, ByteBuffer.wrap("GET".getBytes(StandardCharsets.US_ASCII)), toServer, server, received);
  }

  /** {@code from} wraps {@code data} (or its handshake messages) into {@code wire}; {@code to} reads it all. */
  private static void exchange(SSLEngine from, ByteBuffer data, ByteBuffer wire, SSLEngine to, ByteBuffer received)
      throws SSLException {
    from.wrap(data, wire);
    runTasks(from);
    wire.flip();
    while (wire.hasRemaining()) {
      received.clear();
      int before = wire.remaining();
      to.unwrap(wire, received);
      runTasks(to);
      if (wire.remaining() == before) break;
    }
    wire.compact();
  }

  private static void runTasks(SSLEngine engine) {
    if (engine.getHandshakeStatus() != HandshakeStatus.NEED_TASK) return;
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) task.run();
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus s = engine.getHandshakeStatus();
    return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
  }

  private static void close(SSLEngine engine) {
    if (engine == null) return;
    engine.closeOutbound();
    try {
      engine.closeInbound();
    } catch (SSLException ignored) {
      // closing before the peer's close_notify: expected here
    }
  }
}
