package org.millrace.bench;

import java.lang.management.ManagementFactory;

/** CPU time of this process (every thread, an embedded broker's included). */
final class ProcessCpu {
    private ProcessCpu() {
    }

    static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
