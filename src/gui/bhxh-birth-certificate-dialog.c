/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Birth certificates carry no standard code: the clerk types what the paper
 * says and the core applies the same ID-number checks as for a card. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bhxh-error.h"
#include "core/bhxh-id.h"
#include "core/bhxh-text.h"

#include "bhxh-birth-certificate-dialog.h"

struct _BhxhBirthCertificateDialog
{
  AdwWindow    parent_instance;

  GtkEditable *id_row;
  GtkEditable *name_row;
  GtkEditable *birth_row;
  AdwComboRow *sex_row;
  GtkEditable *father_row;
  GtkEditable *mother_row;
  GtkLabel    *error_label;
  char        *raw;
};

enum {
  DOCUMENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BhxhBirthCertificateDialog, bhxh_birth_certificate_dialog, ADW_TYPE_WINDOW)

static char *
dup_field (GtkEditable *editable)
{
  g_autofree char *text = bhxh_text_collapse (gtk_editable_get_text (editable));

  if (text == NULL || text[0] == '\0')
    return NULL;
  return bhxh_text_normalize (text);
}

BhxhDocument *
bhxh_birth_certificate_dialog_build (BhxhBirthCertificateDialog  *self,
                                     GError                     **error)
{
  g_autoptr(BhxhDocument) document = bhxh_document_new (BHXH_DOCUMENT_BIRTH_CERTIFICATE);
  g_autofree char *birth = dup_field (self->birth_row);
  guint sex = adw_combo_row_get_selected (self->sex_row);

  document->id_number = dup_field (self->id_row);
  if (document->id_number == NULL || !bhxh_id_number_is_valid (document->id_number))
    {
      g_set_error_literal (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_ID,
                           _("The identification number has exactly 12 digits."));
      return NULL;
    }
  if (birth != NULL && !bhxh_date_parse (birth, &document->birth_date, error))
    return NULL;
  document->full_name = dup_field (self->name_row);
  document->father_name = dup_field (self->father_row);
  document->mother_name = dup_field (self->mother_row);
  document->sex = sex == 1 ? BHXH_SEX_MALE : sex == 2 ? BHXH_SEX_FEMALE : BHXH_SEX_UNKNOWN;
  document->raw = g_strdup (self->raw);
  bhxh_document_recheck (document);
  return g_steal_pointer (&document);
}

static void
confirm_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  BhxhBirthCertificateDialog *self = BHXH_BIRTH_CERTIFICATE_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) document = bhxh_birth_certificate_dialog_build (self, &error);

  if (document == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  g_signal_emit (self, signals[DOCUMENT], 0, document);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
bhxh_birth_certificate_dialog_dispose (GObject *object)
{
  BhxhBirthCertificateDialog *self = (BhxhBirthCertificateDialog *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BHXH_TYPE_BIRTH_CERTIFICATE_DIALOG);
  g_clear_pointer (&self->raw, g_free);
  G_OBJECT_CLASS (bhxh_birth_certificate_dialog_parent_class)->dispose (object);
}

static void
bhxh_birth_certificate_dialog_class_init (BhxhBirthCertificateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bhxh_birth_certificate_dialog_dispose;

  signals[DOCUMENT] = g_signal_new ("document", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                    BHXH_TYPE_DOCUMENT | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/bhxh/Desk/bhxh-birth-certificate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BhxhBirthCertificateDialog, id_row);
  gtk_widget_class_bind_template_child (widget_class, BhxhBirthCertificateDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, BhxhBirthCertificateDialog, birth_row);
  gtk_widget_class_bind_template_child (widget_class, BhxhBirthCertificateDialog, sex_row);
  gtk_widget_class_bind_template_child (widget_class, BhxhBirthCertificateDialog, father_row);
  gtk_widget_class_bind_template_child (widget_class, BhxhBirthCertificateDialog, mother_row);
  gtk_widget_class_bind_template_child (widget_class, BhxhBirthCertificateDialog, error_label);

  gtk_widget_class_install_action (widget_class, "birth.confirm", NULL, confirm_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "birth.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
entry_activated_cb (BhxhBirthCertificateDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "birth.confirm", NULL);
}

static void
bhxh_birth_certificate_dialog_init (BhxhBirthCertificateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Typed, then Enter: compared (a missing field is named). */
  g_signal_connect_swapped (self->id_row, "entry-activated", G_CALLBACK (entry_activated_cb), self);
  g_signal_connect_swapped (self->name_row, "entry-activated", G_CALLBACK (entry_activated_cb),
                            self);
  g_signal_connect_swapped (self->birth_row, "entry-activated", G_CALLBACK (entry_activated_cb),
                            self);
  g_signal_connect_swapped (self->father_row, "entry-activated", G_CALLBACK (entry_activated_cb),
                            self);
  g_signal_connect_swapped (self->mother_row, "entry-activated", G_CALLBACK (entry_activated_cb),
                            self);
}

static void
set_text (GtkEditable *editable,
          const char  *text)
{
  gtk_editable_set_text (editable, text != NULL ? text : "");
}

BhxhBirthCertificateDialog *
bhxh_birth_certificate_dialog_new (GtkWindow          *parent,
                                   const BhxhDocument *start)
{
  BhxhBirthCertificateDialog *self;

  self = g_object_new (BHXH_TYPE_BIRTH_CERTIFICATE_DIALOG, "transient-for", parent, NULL);
  if (start != NULL)
    {
      g_autofree char *birth = bhxh_date_to_display (&start->birth_date);

      set_text (self->id_row, start->id_number);
      set_text (self->name_row, start->full_name);
      set_text (self->birth_row, birth);
      set_text (self->father_row, start->father_name);
      set_text (self->mother_row, start->mother_name);
      adw_combo_row_set_selected (self->sex_row, start->sex == BHXH_SEX_MALE ? 1
                                                 : start->sex == BHXH_SEX_FEMALE ? 2 : 0);
      self->raw = g_strdup (start->raw);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->id_row));
  return self;
}
