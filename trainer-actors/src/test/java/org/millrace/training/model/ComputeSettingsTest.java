package org.millrace.training.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComputeSettingsTest {

    @Test
    void devicesResolve() {
        assertEquals(Device.cpu(), new ComputeSettings("cpu", 0, 1).resolveDevice());
        assertEquals(Device.gpu(1), new ComputeSettings("gpu:1", 0, 1).resolveDevice());
        assertEquals(Device.gpu(0), new ComputeSettings("GPU", 0, 1).resolveDevice());
        Device auto = new ComputeSettings("auto", 0, 1).resolveDevice();
        assertEquals(Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu(), auto);
    }

    @Test
    void badSettingsAreNamed() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> new ComputeSettings("tpu", 0, 1));
        assertTrue(e.getMessage().startsWith("millrace.model.device"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ComputeSettings("cpu", -1, 1));
        assertTrue(e.getMessage().startsWith("millrace.model.threads"), e.getMessage());
    }

    @Test
    void referenceConfigurationReads() {
        ComputeSettings settings = ComputeSettings.fromConfig(ConfigFactory.defaultReference());
        assertEquals(new ComputeSettings("auto", 0, 1337), settings);
    }
}
