/**
 * `client:patient`: hydrate an island that shows patient data only when
 * there is some to show: this tab holds a signed-in session, or the patient
 * keeps a copy on this device. Signed-out visitors on shared devices never
 * download patient-data code.
 */
import type { ClientDirective } from 'astro';

const patient: ClientDirective = (load) => {
  let show = false;
  try {
    show = !!sessionStorage.getItem('clara.session') || localStorage.getItem('clara.device') === 'own';
  } catch {
    show = false;
  }
  if (show) void load().then((hydrate) => hydrate());
};

export default patient;
