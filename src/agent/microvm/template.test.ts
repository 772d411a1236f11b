// A template's cache key: one per machine shape (vCPUs, memory, accelerator), kernel and init contents, and QEMU
// version — a VM is only ever restored from a template made for exactly its command line.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type TemplateShape, templateKey } from './template.js';

const dir = mkdtempSync(join(tmpdir(), 'template-key-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const kernel = join(dir, 'vmlinux');
const initrd = join(dir, 'initramfs.cpio');
writeFileSync(kernel, 'kernel');
writeFileSync(initrd, 'init');
const shape: TemplateShape = { kernel, initrd, accel: 'tcg', vcpus: 1, memoryMiB: 768 };

test('the same shape keeps its key; another size, accelerator, QEMU, kernel or init gets another', () => {
  const key = templateKey(shape, '7.2.22');
  assert.equal(templateKey({ ...shape }, '7.2.22'), key);
  const others = [
    templateKey({ ...shape, vcpus: 2 }, '7.2.22'),
    templateKey({ ...shape, memoryMiB: 2304 }, '7.2.22'),
    templateKey({ ...shape, accel: 'kvm' }, '7.2.22'),
    templateKey(shape, '8.2.0'),
  ];
  writeFileSync(initrd, 'init, changed');
  others.push(templateKey(shape, '7.2.22'));
  assert.equal(new Set([key, ...others]).size, 1 + others.length);
});
