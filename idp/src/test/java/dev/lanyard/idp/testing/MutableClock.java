package dev.lanyard.idp.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** A clock tests move forward by hand. Starts at the real time, truncated to microseconds like storage. */
public final class MutableClock extends Clock {
  private volatile Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

  public void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
