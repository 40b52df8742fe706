import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as Record<string, Record<string, string> | undefined>;
const builderConfig = read('electron-builder.yml');

describe('what the installers carry', () => {
  it('one Electron runtime: electron is a devDependency, which electron-builder never copies', () => {
    expect(pkg.devDependencies?.electron).toBeDefined();
    expect(pkg.dependencies?.electron).toBeUndefined();
    expect(pkg.optionalDependencies?.electron).toBeUndefined();
    // The version comes from that package, the one better-sqlite3 was built for.
    expect(builderConfig).not.toMatch(/^electronVersion:/m);
  });

  it('fails to package without better-sqlite3 built for Electron', () => {
    expect(pkg.scripts?.dist).toMatch(/node scripts\/electron-native\.mjs --require && electron-builder/);
    expect(builderConfig).toMatch(/^\s+- build-electron\/\*\*$/m);
  });

  it("keeps xdg-utils in the deb's dependencies (links open through it)", () => {
    const depends = /^deb:\n(?:\s+#.*\n)*\s+depends: \[(.*)\]$/m.exec(builderConfig)?.[1]?.split(',').map((s) => s.trim());
    expect(depends).toEqual(expect.arrayContaining(['xdg-utils', 'libnss3', 'libgtk-3-0']));
  });
});

describe('the WebGPU path in the installers', () => {
  it("each platform's installer keeps only its own Dawn binaries, and the deb recommends the Vulkan loader", () => {
    const section = (name: string) => new RegExp(`^${name}:\\n((?:[ #].*\\n)*)`, 'm').exec(builderConfig)?.[1] ?? '';
    expect(section('linux')).toContain("'!node_modules/webgpu/dist/{darwin-*,win32-*}/**'");
    expect(section('win')).toContain("'!node_modules/webgpu/dist/{darwin-*,linux-*}/**'");
    expect(section('mac')).toContain("'!node_modules/webgpu/dist/{linux-*,win32-*}/**'");
    const recommends = /^\s+recommends: \[(.*)\]$/m.exec(section('deb'))?.[1]?.split(',').map((s) => s.trim());
    expect(recommends).toEqual(expect.arrayContaining(['libvulkan1', 'mesa-vulkan-drivers']));
  });
});
