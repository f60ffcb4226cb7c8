package org.millrace.ops.dashboard;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Supplier;

/** Who is in the cluster, for the dashboard. Until Pekko Cluster roles exist, one node runs every role. */
public final class ClusterView {
    private ClusterView() {
    }

    /** This process as the only member, running {@code roles}. */
    public static Supplier<Tick.Cluster> singleNode(List<String> roles) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        Tick.Member self = new Tick.Member(host + " (pid " + ProcessHandle.current().pid() + ")", List.copyOf(roles), "up",
                ManagementFactory.getRuntimeMXBean().getStartTime());
        Tick.Cluster cluster = new Tick.Cluster("single node", List.of(self));
        return () -> cluster;
    }
}
