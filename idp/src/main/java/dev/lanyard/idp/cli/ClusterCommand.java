package dev.lanyard.idp.cli;

import picocli.CommandLine.Command;

/** {@code lanyard cluster ...}: Kubernetes clusters registered with a tenant. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Register Kubernetes clusters and print what their control plane needs.",
    subcommands = {ClusterAddCommand.class})
public final class ClusterCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }
}
