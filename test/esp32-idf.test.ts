/**
 * The ESP32 compile's parts that run without a toolchain: finding one (and saying what is missing),
 * the minimal build's component list, the emulator profile applied to an sdkconfig, and the app
 * partition read from a board's partition table.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  appPartitionBytes,
  applySdkconfig,
  EMULATOR_SDKCONFIG,
  findEsp32Toolchain,
  firmwareComponents,
  sdkconfigOptions,
} from '../tools/device/esp32-idf.js';
import { REPO_ROOT } from '../tools/device/repo-root.js';

t.test('no IDF_PATH and an ESP_ROOT without env.sh: the message names both places', (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'ringdown-esp-'));
  const found = findEsp32Toolchain({ PATH: '/usr/bin:/bin', ESP_ROOT: empty });
  t.type(found, 'string');
  t.match(found, /IDF_PATH is not set/);
  t.match(found, new RegExp(`ESP_ROOT=${empty} has neither env.sh nor esp-idf/export.sh`));
  const notIdf = findEsp32Toolchain({ PATH: '/usr/bin:/bin', IDF_PATH: empty });
  t.equal(notIdf, `IDF_PATH=${empty} is not an ESP-IDF (no tools/idf.py)`);
  t.end();
});

t.test("the minimal build's components: main.c's, then the manifests' dependencies, each once", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-esp-'));
  const deps = join(dir, 'xs_idf_deps.txt');
  writeFileSync(deps, 'set(ESP_COMPONENTS esp_driver_gptimer fatfs sdmmc esp_timer )\n');
  t.same(firmwareComponents(deps), [
    'main',
    'nvs_flash',
    'esp_driver_uart',
    'log',
    'esp_timer',
    'spi_flash',
    'esp_partition',
    'esp_driver_gptimer',
    'fatfs',
    'sdmmc',
  ]);
  t.same(firmwareComponents(join(dir, 'missing.txt')).length, 7, 'no dependencies file: main.c needs only');
  t.end();
});

t.test('the emulator profile over an sdkconfig: choices switched, the rest kept', (t) => {
  const base = [
    'CONFIG_A=1',
    '# CONFIG_XTAL_FREQ_40 is not set',
    'CONFIG_XTAL_FREQ_AUTO=y',
    'CONFIG_XTAL_FREQ=0',
    'CONFIG_ESPTOOLPY_FLASHMODE_QIO=y',
    '# CONFIG_ESPTOOLPY_FLASHMODE_DIO is not set',
  ].join('\n');
  const applied = applySdkconfig(base, sdkconfigOptions(readFileSync(EMULATOR_SDKCONFIG, 'utf8')));
  const lines = applied.split('\n');
  t.ok(lines.includes('CONFIG_A=1'));
  t.ok(lines.includes('CONFIG_XTAL_FREQ_40=y'));
  t.ok(lines.includes('# CONFIG_XTAL_FREQ_AUTO is not set'));
  t.ok(lines.includes('CONFIG_XTAL_FREQ=40'));
  t.ok(lines.includes('# CONFIG_ESPTOOLPY_FLASHMODE_QIO is not set'));
  t.ok(lines.includes('CONFIG_ESPTOOLPY_FLASHMODE_DIO=y'));
  t.notOk(lines.includes('CONFIG_XTAL_FREQ_AUTO=y'));
  t.end();
});

t.test("each ESP32 board's app partition, from its partitions.csv", (t) => {
  for (const board of ['esp32-ag1171-mt8870', 'esp32-ag1171-sdtmf', 'esp32-ag1171-i2s', 'esp32-ks0835f-mt8870']) {
    const size = appPartitionBytes(readFileSync(join(REPO_ROOT, 'boards', board, 'partitions.csv'), 'utf8'));
    t.ok(size !== undefined && size >= 1024 * 1024, `${board}: ${size} bytes`);
  }
  t.equal(appPartitionBytes('nvs, data, nvs, 0x9000, 0x6000,\nfactory, app, factory, 0x10000, 1M,\n'), 1024 * 1024);
  t.equal(appPartitionBytes('# factory, app, factory, 0x10000, 0x1000\n'), undefined);
  t.end();
});
