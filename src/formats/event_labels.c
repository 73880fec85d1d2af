/*
 * The label table of Event Viewer's text layouts (event_labels.h). The
 * non-English labels are those Event Viewer prints in the German, French,
 * Spanish, Italian, Dutch, Portuguese and Japanese editions of Windows;
 * a label missing here only means its line is not read, never that the
 * event is lost, as long as the Event ID and Description lines are known.
 */
#include "config.h"

#include <string.h>

#include "event_labels.h"
#include "util/util.h"

static const struct label {
	const char	*text;
	enum ev_field	 field;
	bool		 old;
} labels[] = {
	/* English, and the older layout's labels. */
	{ "Log Name", EVF_LOG, false },
	{ "Event Source", EVF_SOURCE, true },
	{ "Source", EVF_SOURCE, false },
	{ "Date", EVF_DATE, false },
	{ "Time", EVF_TIME, true },
	{ "Event ID", EVF_ID, false },
	{ "Task Category", EVF_TASK, false },
	{ "Event Category", EVF_TASK, true },
	{ "Level", EVF_LEVEL, false },
	{ "Event Type", EVF_LEVEL, true },
	{ "Opcode", EVF_OPCODE, false },
	{ "Keywords", EVF_KEYWORDS, false },
	{ "User", EVF_USER, false },
	{ "Computer", EVF_COMPUTER, false },
	{ "Description", EVF_DESCRIPTION, false },
	/* German */
	{ "Protokollname", EVF_LOG, false },
	{ "Quelle", EVF_SOURCE, false },
	{ "Datum", EVF_DATE, false },
	{ "Ereignis-ID", EVF_ID, false },
	{ "Aufgabenkategorie", EVF_TASK, false },
	{ "Ebene", EVF_LEVEL, false },
	{ "Stufe", EVF_LEVEL, false },
	{ "Schl\xc3\xbcsselw\xc3\xb6rter", EVF_KEYWORDS, false },
	{ "Benutzer", EVF_USER, false },
	{ "Beschreibung", EVF_DESCRIPTION, false },
	/* French */
	{ "Nom du journal", EVF_LOG, false },
	{ "ID de l'\xc3\xa9v\xc3\xa9nement", EVF_ID, false },
	{ "ID de l\xe2\x80\x99\xc3\xa9v\xc3\xa9nement", EVF_ID, false },
	{ "Cat\xc3\xa9gorie de la t\xc3\xa2" "che", EVF_TASK, false },
	{ "Niveau", EVF_LEVEL, false },
	{ "Mots cl\xc3\xa9s", EVF_KEYWORDS, false },
	{ "Mots-cl\xc3\xa9s", EVF_KEYWORDS, false },
	{ "Utilisateur", EVF_USER, false },
	{ "Ordinateur", EVF_COMPUTER, false },
	/* Spanish */
	{ "Nombre de registro", EVF_LOG, false },
	{ "Origen", EVF_SOURCE, false },
	{ "Fecha", EVF_DATE, false },
	{ "Id. del evento", EVF_ID, false },
	{ "Categor\xc3\xad" "a de la tarea", EVF_TASK, false },
	{ "Nivel", EVF_LEVEL, false },
	{ "Palabras clave", EVF_KEYWORDS, false },
	{ "Usuario", EVF_USER, false },
	{ "Equipo", EVF_COMPUTER, false },
	{ "Descripci\xc3\xb3n", EVF_DESCRIPTION, false },
	/* Italian */
	{ "Nome registro", EVF_LOG, false },
	{ "Origine", EVF_SOURCE, false },
	{ "Data", EVF_DATE, false },
	{ "ID evento", EVF_ID, false },
	{ "Categoria attivit\xc3\xa0", EVF_TASK, false },
	{ "Livello", EVF_LEVEL, false },
	{ "Parole chiave", EVF_KEYWORDS, false },
	{ "Utente", EVF_USER, false },
	{ "Descrizione", EVF_DESCRIPTION, false },
	/* Dutch */
	{ "Logboeknaam", EVF_LOG, false },
	{ "Bron", EVF_SOURCE, false },
	{ "Gebeurtenis-id", EVF_ID, false },
	{ "Taakcategorie", EVF_TASK, false },
	{ "Trefwoorden", EVF_KEYWORDS, false },
	{ "Gebruiker", EVF_USER, false },
	{ "Beschrijving", EVF_DESCRIPTION, false },
	/* Portuguese */
	{ "Nome do Log", EVF_LOG, false },
	{ "Fonte", EVF_SOURCE, false },
	{ "Identifica\xc3\xa7\xc3\xa3o do Evento", EVF_ID, false },
	{ "ID do Evento", EVF_ID, false },
	{ "Categoria da Tarefa", EVF_TASK, false },
	{ "N\xc3\xadvel", EVF_LEVEL, false },
	{ "Palavras-chave", EVF_KEYWORDS, false },
	{ "Usu\xc3\xa1rio", EVF_USER, false },
	{ "Computador", EVF_COMPUTER, false },
	{ "Descri\xc3\xa7\xc3\xa3o", EVF_DESCRIPTION, false },
	/* Japanese */
	{ "\xe3\x83\xad\xe3\x82\xb0\xe3\x81\xae\xe5\x90\x8d\xe5\x89\x8d",
	    EVF_LOG, false },					/* ログの名前 */
	{ "\xe3\x82\xbd\xe3\x83\xbc\xe3\x82\xb9", EVF_SOURCE, false },	/* ソース */
	{ "\xe6\x97\xa5\xe4\xbb\x98", EVF_DATE, false },		/* 日付 */
	{ "\xe3\x82\xa4\xe3\x83\x99\xe3\x83\xb3\xe3\x83\x88 ID", EVF_ID,
	    false },						/* イベント ID */
	{ "\xe3\x83\xac\xe3\x83\x99\xe3\x83\xab", EVF_LEVEL, false },	/* レベル */
	{ "\xe3\x83\xa6\xe3\x83\xbc\xe3\x82\xb6\xe3\x83\xbc", EVF_USER,
	    false },						/* ユーザー */
	{ "\xe3\x82\xb3\xe3\x83\xb3\xe3\x83\x94\xe3\x83\xa5\xe3\x83\xbc"
	    "\xe3\x82\xbf\xe3\x83\xbc", EVF_COMPUTER, false },	/* コンピューター */
	{ "\xe8\xaa\xac\xe6\x98\x8e", EVF_DESCRIPTION, false },	/* 説明 */
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool
event_field_line(const char *l, size_t n, struct ev_field_line *out)
{
	size_t	i, k, j, start = 0;

	memset(out, 0, sizeof *out);
	while (start < n && is_blank(l[start]))
		start++;
	for (i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		k = strlen(labels[i].text);
		if (n - start < k + 1 ||
		    ascii_ncasecmp(l + start, labels[i].text, k) != 0)
			continue;
		/* Padding, then the colon: "Source :", "Event ID:   12014". */
		for (j = start + k; j < n && is_blank(l[j]); j++)
			;
		if (j >= n || l[j] != ':')
			continue;
		for (j++; j < n && is_blank(l[j]); j++)
			;
		out->field = labels[i].field;
		out->old_layout = labels[i].old;
		out->value = l + j;
		out->vlen = n - j;
		while (out->vlen > 0 && (is_blank(out->value[out->vlen - 1]) ||
		    out->value[out->vlen - 1] == '\r'))
			out->vlen--;
		return true;
	}
	return false;
}

const char *
event_level_english(const char *v, size_t n)
{
	static const struct {
		const char	*text;
		const char	*english;
	} names[] = {
		{ "Critical", "Critical" }, { "Error", "Error" },
		{ "Warning", "Warning" }, { "Information", "Information" },
		{ "Verbose", "Verbose" },
		{ "Kritisch", "Critical" }, { "Fehler", "Error" },
		{ "Warnung", "Warning" }, { "Informationen", "Information" },
		{ "Ausf\xc3\xbchrlich", "Verbose" },
		{ "Critique", "Critical" }, { "Erreur", "Error" },
		{ "Avertissement", "Warning" }, { "Commentaires", "Verbose" },
		{ "Cr\xc3\xadtico", "Critical" }, { "Advertencia", "Warning" },
		{ "Informaci\xc3\xb3n", "Information" },
		{ "Detallado", "Verbose" },
		{ "Critico", "Critical" }, { "Errore", "Error" },
		{ "Avviso", "Warning" }, { "Informazioni", "Information" },
		{ "Kritiek", "Critical" }, { "Fout", "Error" },
		{ "Waarschuwing", "Warning" }, { "Informatie", "Information" },
		{ "Erro", "Error" }, { "Aviso", "Warning" },
		{ "Informa\xc3\xa7\xc3\xb5" "es", "Information" },
		{ "\xe3\x82\xa8\xe3\x83\xa9\xe3\x83\xbc", "Error" },	/* エラー */
		{ "\xe8\xad\xa6\xe5\x91\x8a", "Warning" },		/* 警告 */
		{ "\xe6\x83\x85\xe5\xa0\xb1", "Information" },		/* 情報 */
		{ "\xe9\x87\x8d\xe5\xa4\xa7", "Critical" },		/* 重大 */
		/* The older layout's Event Type. */
		{ "Success Audit", "Audit Success" },
		{ "Failure Audit", "Audit Failure" },
	};
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].text) == n &&
		    ascii_ncasecmp(v, names[i].text, n) == 0)
			return names[i].english;
	return NULL;
}

bool
event_value_blank(const char *v, size_t n)
{
	static const char *const none[] = { "N/A", "Nicht zutreffend", "N/V",
	    "Non disponible", "N/D", "No disponible", "Niet van toepassing",
	    "\xe4\xb8\x8d\xe6\x98\x8e",	/* 不明 */
	};
	size_t	i;

	if (n == 0)
		return true;
	for (i = 0; i < sizeof none / sizeof none[0]; i++)
		if (strlen(none[i]) == n && ascii_ncasecmp(v, none[i], n) == 0)
			return true;
	/* "<HybridServerName>.contoso.com": a support article's placeholder. */
	return memchr(v, '<', n) != NULL && memchr(v, '>', n) != NULL;
}
