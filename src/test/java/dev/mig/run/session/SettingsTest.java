package dev.mig.run.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** With nothing set, mig picks the workers from the table's size and the cores; a set value always wins. */
class SettingsTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void nothingSetMeansOneWorkerForSmallTablesAndOnePerCoreUpToFourForLargeOnes() {
        Settings settings = new Settings();
        assertEquals(Settings.AUTO, settings.parallel());
        assertTrue(settings.mayParallel());
        assertEquals(1, settings.workersFor(0));
        assertEquals(1, settings.workersFor(Settings.AUTO_MIN_ROWS - 1));
        assertEquals(Math.min(4, CORES), settings.workersFor(Settings.AUTO_MIN_ROWS));
        assertEquals(Math.min(4, CORES), settings.workersFor(50_000_000));
    }

    @Test
    void aSetValueWinsWhateverTheSize() {
        Settings settings = new Settings();
        settings.parallel(1);
        assertFalse(settings.mayParallel());
        assertEquals(1, settings.workersFor(50_000_000));
        settings.parallel(3);
        assertEquals(3, settings.workersFor(10));
        settings.parallel(Settings.AUTO);
        assertEquals(1, settings.workersFor(10));
    }
}
