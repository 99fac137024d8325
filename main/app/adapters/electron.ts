/**
 * The one place the main process loads Electron. Assigning the real objects to
 * `ElectronPorts` makes the compiler check that the app's port interfaces (and so the fakes
 * the tests use) describe Electron's real API.
 */
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  nativeTheme,
  Notification,
  powerMonitor,
  screen,
  shell,
  Tray,
} from 'electron';
import type { ElectronPorts } from '../electron-ports.js';

export function electronPorts(): ElectronPorts {
  return { app, Tray, Menu, Notification, BrowserWindow, ipcMain, shell, nativeTheme, screen, powerMonitor };
}
