// The RCP's tty without a native addon: opened with O_NOCTTY|O_NONBLOCK, put in raw mode by libuv
// (tty.ReadStream#setRawMode: no echo, no canonical mode, no signals, no CR/LF or XON/XOFF
// translation, 8 bits), and its speed set with `stty -F <dev> <baud>` (package coreutils-stty: stock
// OpenWrt busybox has no stty; libuv cannot set a baud rate).
import { execFile } from 'node:child_process';
import { constants, openSync, closeSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { isatty } from 'node:tty';

export type SerialOpenFailure = 'no-device' | 'permission' | 'busy' | 'not-a-tty' | 'baud';

export class SerialOpenError extends Error {
  constructor(readonly failure: SerialOpenFailure, message: string) {
    super(message);
    this.name = 'SerialOpenError';
  }
}

/** Sets the line speed of an open tty; injectable so tests and hosts without stty can replace it. */
export type SetBaud = (path: string, baud: number) => Promise<void>;

export const sttySetBaud: SetBaud = (path, baud) => new Promise((resolve, reject) => {
  execFile('stty', ['-F', path, String(baud)], { timeout: 5000 }, (error, _stdout, stderr) => {
    if (!error) return resolve();
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    reject(new SerialOpenError('baud', missing
      ? 'cannot set the baud rate: stty is not installed (opkg install coreutils-stty)'
      : `cannot set ${path} to ${baud} baud: ${stderr.trim() || error.message}`));
  });
});

export interface SerialPort {
  stream: ReadStream;
  path: string;
  baud: number;
  close(): void;
}

function openFailure(path: string, error: NodeJS.ErrnoException): SerialOpenError {
  switch (error.code) {
    case 'ENOENT': case 'ENXIO': case 'ENODEV': return new SerialOpenError('no-device', `no such device: ${path}`);
    case 'EACCES': case 'EPERM': return new SerialOpenError('permission', `no permission to open ${path} (the service runs as root on the gateway; check the device node's mode)`);
    case 'EBUSY': return new SerialOpenError('busy', `${path} is busy (opened exclusively by another process)`);
    default: return new SerialOpenError('no-device', `cannot open ${path}: ${error.message}`);
  }
}

export async function openSerialPort(path: string, baud: number, setBaud: SetBaud = sttySetBaud): Promise<SerialPort> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch (error) {
    throw openFailure(path, error as NodeJS.ErrnoException);
  }
  if (!isatty(fd)) {
    closeSync(fd);
    throw new SerialOpenError('not-a-tty', `${path} is not a serial port (not a tty)`);
  }
  try {
    await setBaud(path, baud);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  const stream = new ReadStream(fd);
  stream.setRawMode(true);
  let closed = false;
  return {
    stream, path, baud,
    close() {
      if (closed) return;
      closed = true;
      stream.destroy();
    },
  };
}
