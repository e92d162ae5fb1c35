/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "store/bhxh-auth.h"
#include "store/bhxh-store.h"
#include "bhxh-service-errors.h"

/* The library's error codes travel by name (data/vn.bhxh.Desk1.xml), so a
 * client gets back the GError the service had: same domain, same code. */

static const GDBusErrorEntry store_errors[] = {
  { BHXH_STORE_ERROR_IO, "vn.bhxh.Desk1.Error.Store.Io" },
  { BHXH_STORE_ERROR_CORRUPT, "vn.bhxh.Desk1.Error.Store.Corrupt" },
  { BHXH_STORE_ERROR_TOO_NEW, "vn.bhxh.Desk1.Error.Store.TooNew" },
  { BHXH_STORE_ERROR_NOT_FOUND, "vn.bhxh.Desk1.Error.Store.NotFound" },
  { BHXH_STORE_ERROR_BAD_INPUT, "vn.bhxh.Desk1.Error.Store.BadInput" },
  { BHXH_STORE_ERROR_ALREADY_DECIDED, "vn.bhxh.Desk1.Error.Store.AlreadyDecided" },
  { BHXH_STORE_ERROR_NOT_ALLOWED, "vn.bhxh.Desk1.Error.Store.NotAllowed" },
  { BHXH_STORE_ERROR_CANCELLED, "vn.bhxh.Desk1.Error.Store.Cancelled" },
  { BHXH_STORE_ERROR_READ_ONLY, "vn.bhxh.Desk1.Error.Store.ReadOnly" },
  { BHXH_STORE_ERROR_FULL, "vn.bhxh.Desk1.Error.Store.Full" },
  { BHXH_STORE_ERROR_KEY, "vn.bhxh.Desk1.Error.Store.Key" },
  { BHXH_STORE_ERROR_SAFETY_STOP, "vn.bhxh.Desk1.Error.Store.SafetyStop" },
};

static const GDBusErrorEntry auth_errors[] = {
  { BHXH_AUTH_ERROR_FAILED, "vn.bhxh.Desk1.Error.Auth.Failed" },
  { BHXH_AUTH_ERROR_LOCKED, "vn.bhxh.Desk1.Error.Auth.Locked" },
  { BHXH_AUTH_ERROR_NO_PASSWORD, "vn.bhxh.Desk1.Error.Auth.NoPassword" },
  { BHXH_AUTH_ERROR_WEAK_PASSWORD, "vn.bhxh.Desk1.Error.Auth.WeakPassword" },
  { BHXH_AUTH_ERROR_REQUIRED, "vn.bhxh.Desk1.Error.Auth.Required" },
  { BHXH_AUTH_ERROR_FORBIDDEN, "vn.bhxh.Desk1.Error.Auth.Forbidden" },
  { BHXH_AUTH_ERROR_INTERNAL, "vn.bhxh.Desk1.Error.Auth.Internal" },
  { BHXH_AUTH_ERROR_DISABLED, "vn.bhxh.Desk1.Error.Auth.Disabled" },
};

void
bhxh_service_errors_register (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      for (guint i = 0; i < G_N_ELEMENTS (store_errors); i++)
        g_dbus_error_register_error (BHXH_STORE_ERROR, store_errors[i].error_code,
                                     store_errors[i].dbus_error_name);
      for (guint i = 0; i < G_N_ELEMENTS (auth_errors); i++)
        g_dbus_error_register_error (BHXH_AUTH_ERROR, auth_errors[i].error_code,
                                     auth_errors[i].dbus_error_name);
      g_once_init_leave (&done, 1);
    }
}
