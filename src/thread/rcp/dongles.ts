/** USB serial bridges and dongles known to carry an OpenThread RCP (vendor:product as in sysfs). */
export interface KnownDongle {
  vendorId: string;
  productId: string;
  name: string;
  /** The baud the usual RCP image runs at; irrelevant for native USB CDC, tried first otherwise. */
  baud: number;
}

export const KNOWN_DONGLES: readonly KnownDongle[] = [
  { vendorId: '1915', productId: 'cafe', name: 'Nordic nRF52840 Dongle (OpenThread RCP, USB CDC)', baud: 460800 },
  { vendorId: '1366', productId: '1015', name: 'Nordic nRF52840 DK (SEGGER J-Link CDC)', baud: 460800 },
  { vendorId: '1366', productId: '1051', name: 'Nordic nRF52840 DK (SEGGER J-Link CDC)', baud: 460800 },
  { vendorId: '303a', productId: '1001', name: 'Espressif ESP32-H2 / ESP32-C6 (USB Serial/JTAG)', baud: 460800 },
  { vendorId: '10c4', productId: 'ea60', name: 'Silicon Labs CP210x bridge (ESP32-H2 DevKit, SkyConnect/ZBT-1, EFR32MG21 sticks)', baud: 460800 },
  { vendorId: '1a86', productId: '55d4', name: 'WCH CH9102 bridge (ESP32-H2 boards, CC2652P sticks)', baud: 460800 },
  { vendorId: '1a86', productId: '7523', name: 'WCH CH340 bridge', baud: 115200 },
  { vendorId: '0451', productId: 'bef3', name: 'TI XDS110 (CC2652 / CC1352 LaunchPad)', baud: 115200 },
  { vendorId: '0403', productId: '6015', name: 'FTDI FT231X bridge', baud: 115200 },
];

/** Kernel drivers of the serial ports an RCP shows up on. */
export const RCP_SERIAL_DRIVERS: ReadonlySet<string> = new Set(['cdc_acm', 'cp210x', 'ch341', 'ch341-uart', 'ftdi_sio']);

export function findKnownDongle(vendorId: string | undefined, productId: string | undefined): KnownDongle | undefined {
  if (!vendorId || !productId) return undefined;
  return KNOWN_DONGLES.find((d) => d.vendorId === vendorId.toLowerCase() && d.productId === productId.toLowerCase());
}
