// GET /api/centre — the centre's name (public, for the login page); GET /api/me — the signed-in person, their console preferences and the centre (name, zone);
// PUT /api/me/preferences — language and alerts, remembered server-side so they follow the person.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { AuthenticationError } from '../../errors';
import { parseWith } from '../validate';
import { presentUser } from '../sessions';
import { getPreferences, savePreferences } from '../../store/repositories/console';
import type { UserPreferencesRow } from '../../store/schema';
import { DEFAULT_UI_LOCALE, UI_LOCALES, isUiLocale, offsetLabel, timeZoneOf } from '../../../web/i18n';

const preferencesBody = z
  .object({
    locale: z.enum(UI_LOCALES, { message: `must be one of ${UI_LOCALES.join(', ')}` }).optional(),
    alertSound: z.boolean().optional(),
    alertDesktop: z.boolean().optional(),
  })
  .strict();

const presentPreferences = (p: UserPreferencesRow | undefined) => ({
  locale: p && isUiLocale(p.locale) ? p.locale : DEFAULT_UI_LOCALE,
  alertSound: p?.alert_sound === 1,
  alertDesktop: p?.alert_desktop === 1,
});

export function meRoutes(s: Services): Router {
  const router = express.Router();
  const centre = {
    name: s.config.centre.name,
    callbackNumber: s.config.centre.callbackNumber,
    utcOffsetMinutes: s.config.utcOffsetMinutes,
    utcOffset: offsetLabel(s.config.utcOffsetMinutes),
    timeZone: timeZoneOf(s.config.utcOffsetMinutes),
  };

  // Before sign-in the login page names the centre; nothing here is secret.
  router.get('/api/centre', (_req, res) => void res.json({ name: centre.name, callbackNumber: centre.callbackNumber }));

  router.get('/api/me', async (req, res) => {
    if (!req.user) throw new AuthenticationError('not signed in');
    res.json({ user: presentUser(req.user), preferences: presentPreferences(await getPreferences(s.store.db, req.user.id)), centre });
  });

  router.put('/api/me/preferences', async (req, res) => {
    if (!req.user) throw new AuthenticationError('not signed in');
    const patch = parseWith(preferencesBody, req.body ?? {}, 'preferences');
    res.json({ preferences: presentPreferences(await savePreferences(s.store.db, req.user.id, patch, { locale: DEFAULT_UI_LOCALE })) });
  });

  return router;
}
