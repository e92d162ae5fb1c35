/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bhxh-collate.h"
#include "core/bhxh-text.h"

#include "bhxh-declaration-object.h"

struct _BhxhDeclarationObject
{
  GObject          parent_instance;
  BhxhDeclaration *declaration;
  char            *search_key;
  char            *name_key;     /* bhxh_collate_name_key (): a Vietnamese list */
  char            *assignee;     /* the clerk a supervisor handed it to, or NULL */
  int              days_left;
  guint            minor : 1;
  guint            unsaved : 1;
};

enum {
  PROP_0,
  PROP_STATUS,
  PROP_UNSAVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BhxhDeclarationObject, bhxh_declaration_object, G_TYPE_OBJECT)

static void
bhxh_declaration_object_finalize (GObject *object)
{
  BhxhDeclarationObject *self = (BhxhDeclarationObject *)object;

  g_clear_pointer (&self->declaration, bhxh_declaration_free);
  g_clear_pointer (&self->search_key, g_free);
  g_clear_pointer (&self->name_key, g_free);
  g_clear_pointer (&self->assignee, g_free);

  G_OBJECT_CLASS (bhxh_declaration_object_parent_class)->finalize (object);
}

static void
bhxh_declaration_object_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BhxhDeclarationObject *self = BHXH_DECLARATION_OBJECT (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_int (value, self->declaration->status);
      break;
    case PROP_UNSAVED:
      g_value_set_boolean (value, self->unsaved);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bhxh_declaration_object_class_init (BhxhDeclarationObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bhxh_declaration_object_finalize;
  object_class->get_property = bhxh_declaration_object_get_property;

  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UNSAVED] =
    g_param_spec_boolean ("unsaved", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bhxh_declaration_object_init (BhxhDeclarationObject *self)
{
}

char *
bhxh_declaration_fold_query (const char *query)
{
  g_autofree char *collapsed = NULL;

  if (query == NULL)
    return g_strdup ("");
  collapsed = bhxh_text_collapse (query);
  return bhxh_text_fold (collapsed != NULL ? collapsed : query);
}

static char *
build_search_key (const BhxhDeclaration *d)
{
  g_autofree char *name = bhxh_declaration_fold_query (d->full_name);

  /* One string, fields separated by a character no query contains, so a
   * single bhxh_text_has_word_prefix() answers "a word of the name, the
   * mã số BHXH, the ID number or the declaration's id starts with". */
  return g_strdup_printf ("%s\x1f%s\x1f%s\x1f%s", name,
                          d->bhxh_code != NULL ? d->bhxh_code : "",
                          d->id_number != NULL ? d->id_number : "",
                          d->id != NULL ? d->id : "");
}

/**
 * bhxh_declaration_object_new:
 * @declaration: (transfer full): the declaration
 * @today: the day the queue is shown, for days left and the under-18 mark
 */
BhxhDeclarationObject *
bhxh_declaration_object_new (BhxhDeclaration *declaration,
                             const BhxhDate  *today)
{
  BhxhDeclarationObject *self;

  g_return_val_if_fail (declaration != NULL, NULL);
  g_return_val_if_fail (today != NULL, NULL);

  self = g_object_new (BHXH_TYPE_DECLARATION_OBJECT, NULL);
  self->declaration = declaration;
  self->search_key = build_search_key (declaration);
  self->name_key = bhxh_collate_name_key (declaration->full_name);
  self->days_left = bhxh_declaration_days_left (declaration, today);
  self->minor = bhxh_declaration_is_minor (declaration, today);
  return self;
}

const BhxhDeclaration *
bhxh_declaration_object_get_declaration (BhxhDeclarationObject *self)
{
  g_return_val_if_fail (BHXH_IS_DECLARATION_OBJECT (self), NULL);
  return self->declaration;
}

const char *
bhxh_declaration_object_get_id (BhxhDeclarationObject *self)
{
  g_return_val_if_fail (BHXH_IS_DECLARATION_OBJECT (self), NULL);
  return self->declaration->id;
}

const char *
bhxh_declaration_object_get_search_key (BhxhDeclarationObject *self)
{
  g_return_val_if_fail (BHXH_IS_DECLARATION_OBJECT (self), NULL);
  return self->search_key;
}

/* The key of the name in a Vietnamese list (given name first). */
const char *
bhxh_declaration_object_get_name_key (BhxhDeclarationObject *self)
{
  g_return_val_if_fail (BHXH_IS_DECLARATION_OBJECT (self), NULL);
  return self->name_key;
}

int
bhxh_declaration_object_get_days_left (BhxhDeclarationObject *self)
{
  g_return_val_if_fail (BHXH_IS_DECLARATION_OBJECT (self), 0);
  return self->days_left;
}

gboolean
bhxh_declaration_object_get_minor (BhxhDeclarationObject *self)
{
  g_return_val_if_fail (BHXH_IS_DECLARATION_OBJECT (self), FALSE);
  return self->minor;
}

BhxhDeclarationStatus
bhxh_declaration_object_get_status (BhxhDeclarationObject *self)
{
  g_return_val_if_fail (BHXH_IS_DECLARATION_OBJECT (self), BHXH_STATUS_PENDING);
  return self->declaration->status;
}

void
bhxh_declaration_object_set_status (BhxhDeclarationObject *self,
                                    BhxhDeclarationStatus  status)
{
  g_return_if_fail (BHXH_IS_DECLARATION_OBJECT (self));

  if (self->declaration->status == status)
    return;
  self->declaration->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

gboolean
bhxh_declaration_object_get_unsaved (BhxhDeclarationObject *self)
{
  g_return_val_if_fail (BHXH_IS_DECLARATION_OBJECT (self), FALSE);
  return self->unsaved;
}

void
bhxh_declaration_object_set_unsaved (BhxhDeclarationObject *self,
                                     gboolean               unsaved)
{
  g_return_if_fail (BHXH_IS_DECLARATION_OBJECT (self));

  unsaved = !!unsaved;
  if (self->unsaved == unsaved)
    return;
  self->unsaved = unsaved;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNSAVED]);
}

gboolean
bhxh_declaration_object_is_open (BhxhDeclarationObject *self)
{
  BhxhDeclarationStatus status = bhxh_declaration_object_get_status (self);

  return status == BHXH_STATUS_PENDING || status == BHXH_STATUS_ESCALATED;
}

char *
bhxh_declaration_object_dup_days_label (BhxhDeclarationObject *self)
{
  g_return_val_if_fail (BHXH_IS_DECLARATION_OBJECT (self), NULL);

  if (self->declaration->confirmed_at == NULL)
    return g_strdup (_("Not confirmed"));
  if (self->days_left <= 0)
    return g_strdup (_("Expired"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", self->days_left),
                          self->days_left);
}

/* The login of the clerk a supervisor assigned it to, or NULL. */
const char *
bhxh_declaration_object_get_assignee (BhxhDeclarationObject *self)
{
  g_return_val_if_fail (BHXH_IS_DECLARATION_OBJECT (self), NULL);

  return self->assignee;
}

void
bhxh_declaration_object_set_assignee (BhxhDeclarationObject *self,
                                      const char            *login)
{
  g_return_if_fail (BHXH_IS_DECLARATION_OBJECT (self));

  g_free (self->assignee);
  self->assignee = g_strdup (login);
}
