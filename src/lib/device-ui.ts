/**
 * The device question, on Home after sign-in (components/DeviceQuestion.astro),
 * and the device choice in Settings. Choosing "my own" leads to setting a
 * lock (lock-setup-ui.ts); nothing is kept beyond the tab until it is set.
 * In Settings nothing changes while the patient moves through the choices:
 * only "Save this choice" acts, and erasing what is kept asks first, in a
 * dialog that keeps focus and gives it back.
 */
import { fill } from './i18n/format.ts';
import { startLockSetup } from './lock-setup-ui.ts';
import { deviceMode, deviceUndecided, setDeviceMode, type DeviceMode } from './store/device.ts';
import { readFlag, type LockKind } from './store/flag.ts';

const $ = <T extends HTMLElement = HTMLElement>(selector: string, root: ParentNode = document) =>
  root.querySelector<T>(selector);

/** Says what happened in a paragraph that takes focus (the control that was pressed may be gone). */
function tell(box: HTMLElement | null, text: string): void {
  if (!box) return;
  const p = document.createElement('p');
  p.className = 'notice notice--ok';
  p.tabIndex = -1;
  p.textContent = text;
  box.replaceChildren(p);
  p.focus();
}

/** Home, signed in: asks once whether this is the patient's own device. */
export function askDevice(): void {
  const section = $('[data-device-question]');
  const result = $('[data-device-result]');
  const choices = $('[data-device-choices]');
  const lockBox = $('[data-lock-setup]');
  if (!section || !choices || !lockBox || !deviceUndecided()) return;
  const words = JSON.parse(section.dataset['words'] ?? '{}') as Record<string, string>;
  section.hidden = false;
  section.addEventListener('click', (event) => {
    const choice = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-device]')?.dataset['device'];
    if (choice === 'shared') {
      void setDeviceMode('shared').then(() => {
        section.hidden = true;
        tell(result, words['sharedChosen'] ?? '');
      });
    } else if (choice === 'own') {
      choices.hidden = true;
      void startLockSetup(lockBox, {
        onDone: (lock: LockKind) => {
          void setDeviceMode('own');
          section.hidden = true;
          tell(result, words[lock === 'key' ? 'ownChosenKey' : 'ownChosenPin'] ?? '');
        },
        onCancel: () => {
          choices.hidden = false;
          $<HTMLButtonElement>('button[data-device="own"]', choices)?.focus();
        },
      });
    }
  });
}

/** Settings: the device choice, saved only by its button; "Erase what is kept now". */
export function settingsDevice(): void {
  const form = $<HTMLFormElement>('form[data-device-form]');
  const state = $('[data-device-state]');
  const status = $('[data-device-status]');
  const eraseButton = $<HTMLButtonElement>('button[data-device-erase]');
  const dialog = $<HTMLDialogElement>('dialog[data-erase-dialog]');
  const lockBox = $('[data-lock-setup]');
  if (!form || !state || !status || !dialog || !lockBox) return;
  const words = JSON.parse(form.dataset['words'] ?? '{}') as Record<string, string>;
  const radios = [...form.querySelectorAll<HTMLInputElement>('input[name="device"]')];
  const label = (value: string) =>
    radios
      .find((r) => r.value === value)
      ?.closest('label')
      ?.textContent?.trim() ?? value;

  const showChoice = (mode: DeviceMode | undefined) => {
    for (const radio of radios) radio.checked = radio.value === mode;
  };
  const describe = () => {
    const flag = readFlag();
    state.textContent = words[flag ? (flag.lock === 'key' ? 'stateKey' : 'statePin') : 'stateNone'] ?? '';
    if (eraseButton) eraseButton.hidden = !flag;
  };
  const say = (text: string) => {
    const p = document.createElement('p');
    p.className = 'notice notice--ok';
    p.textContent = text;
    status.replaceChildren(p);
  };
  /** The erase question; resolves true for "Erase". Focus goes back to `from` afterwards. */
  const confirmErase = (from: HTMLElement) =>
    new Promise<boolean>((resolve) => {
      dialog.showModal();
      $<HTMLButtonElement>('button[value="keep"]', dialog)?.focus();
      const done = (erase: boolean) => {
        dialog.removeEventListener('click', onClick);
        dialog.removeEventListener('close', onClose);
        if (dialog.open) dialog.close();
        from.focus();
        resolve(erase);
      };
      const onClick = (event: Event) => {
        const value = (event.target as HTMLElement).closest('button')?.value;
        if (value === 'erase' || value === 'keep') done(value === 'erase');
      };
      const onClose = () => done(false);
      dialog.addEventListener('click', onClick);
      dialog.addEventListener('close', onClose);
    });

  showChoice(deviceMode());
  describe();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = radios.find((r) => r.checked)?.value;
    const before = deviceMode();
    const save = form.querySelector<HTMLButtonElement>('button[type="submit"]') ?? form;
    if (chosen !== 'own' && chosen !== 'shared') return say(words['choose'] ?? '');
    if (chosen === 'shared') {
      if (readFlag() && !(await confirmErase(save))) {
        showChoice(before);
        return;
      }
      await setDeviceMode('shared');
      describe();
      return say(fill(words['saved'] ?? '{{choice}}', { choice: label('shared') }));
    }
    if (readFlag()) {
      await setDeviceMode('own');
      return say(fill(words['saved'] ?? '{{choice}}', { choice: label('own') }));
    }
    // "My own" without a lock yet: the lock first; nothing changes if the patient stops.
    void startLockSetup(lockBox, {
      onDone: () => {
        void setDeviceMode('own');
        describe();
        say(fill(words['saved'] ?? '{{choice}}', { choice: label('own') }));
        state.focus();
      },
      onCancel: () => {
        showChoice(before);
        save.focus();
      },
    });
  });

  eraseButton?.addEventListener('click', async () => {
    if (!(await confirmErase(eraseButton))) return;
    await setDeviceMode(undefined);
    showChoice(undefined);
    describe();
    say(words['erased'] ?? '');
    // The button is gone now: focus goes to what the device keeps.
    state.focus();
  });
}
