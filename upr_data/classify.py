"""Transparent, rule-based tagging of UPR recommendations.

`classify(text)` takes the whole paragraph as printed (with the recommending States in brackets)
and returns one action category, one or more themes and the groups of persons it names. Each
tag carries provenance "classifier" and the id of the rule that fired, so a curator can see why
a tag is there and correct it. The rules, for a curator:

Preparing the text
  The paragraph is split into its recommendations at each recommending-State bracket: a bracket
  whose text starts like a name ("(Brazil)", "(Iran (Islamic Republic of))", not "(CRPD)" or
  "(a)") and is followed by ";", ",", "." or the end. The brackets and "(a)", "(b)" markers are
  removed before any matching.

Action category (UPR Info's scale, chosen from the leading verb)
  UPR Info's database methodology defines (wording as recalled; not re-checked offline):
  1 minimal action, "recommendation directed at States other than the State under review, or
  calling upon the SuR to request assistance from other countries or share information" (seek,
  request, share, call on); 2 continuing action, "recommendation emphasizing continuity"
  (continue, maintain, persevere, pursue); 3 considering action, "recommendation to consider
  change" (consider, explore, envisage, study, reflect, examine, review, look into);
  4 general action, "recommendation of action that contains a general element" (accelerate,
  address, encourage, ensure, guarantee, intensify, promote, strengthen, take measures or
  steps); 5 specific action, "recommendation of specific action" (ratify, accede, sign, adopt,
  amend, repeal, abolish, enact, establish, implement, enforce, investigate, conduct, undertake,
  develop, eliminate, issue ...). The full verb table is printed at the end of RULES_DOC.
  For each recommendation:
  a. Find the leading verb: skip adverbs ("Further", "Swiftly", any "-ly" word) and an opening
     phrase ended by a comma ("In line with ..., adopt"; "On sexual violence ..., undertake");
     otherwise the first known verb ("The parties concerned should promote").
  b. Continuity verbs give 2, whatever follows ("Continue to strengthen" = 2), except that a
     following seeking or considering verb keeps its own category ("Continue to seek technical
     assistance" = 1, "Continue exploring possibilities to ... ratify" = 3).
  c. Considering verbs give 3 ("Consider ratifying" = 3, not 5).
  d. "seek to" means "try to": the verb after it decides.
  e. "Take / adopt / implement [the necessary, all, further, ...] measures, steps or action" is
     general (4) unless the verb it leads to is specific: "Take the necessary measures to
     ensure" = 4, "Take steps to ratify" = 5, "Adopt and implement effective measures" = 4.
  f. Phrases: "make / increase / intensify / redouble ... efforts" = 4; "make ... declarations",
     "make ... compulsory", "put in place", "set up", "put an end" = 5; "create (favourable)
     conditions", "step up" = 4; "give continuity", "stay steadfast" = 2; "look for / into" = 3.
  g. Verbs joined to the leading verb by "and" / "or" count too, the higher category wins
     ("Sign and ratify" = 5, "Swiftly review and pass" = 5, "Respect and protect" = 4).
  h. Otherwise the verb table decides; an unlisted verb gives 4 (rule says "default").
  Clustered paragraphs ("(a) ... (Pakistan); (b) ... (Egypt)" or several States' recommendations
  run together): each recommendation is classified on its own and the paragraph takes the
  HIGHEST category, because a tag on the paragraph should not understate what any State asked.
  The rule string lists every part's category and the rule of the part that won.
  Deliberate choices where the scale is ambiguous: "revise" (change a named text) is 5 while
  "review" is 3; "provide" and "cooperate" are 4; "implement" is 5 unless followed by "measures".

Themes and groups
  Case-insensitive keyword and regular-expression rules with word boundaries, matched over the
  whole paragraph (all its recommendations); acronyms (CEDAW, CRPD, OP-CAT, CAT, NHRI, ECCC,
  LANGO, MDGs, ...) match in capitals only. Every theme or group whose rule matches is tagged;
  the rule string names the first of its keywords (in table order) that matched. A group is
  tagged only when the text names it or a clear synonym ("the disabled", "the elderly",
  "indigent persons"). If no theme matches, the paragraph gets `hr_framework` ("fallback").

Output
  Tags sorted by (scheme, code), no duplicate (scheme, code); deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .taxonomy import ACTION_CATEGORIES, GROUPS, THEMES

PROVENANCE = "classifier"
FALLBACK_THEME = "hr_framework"


@dataclass(frozen=True)
class Tag:
    scheme: str  # "theme" | "group" | "action_category"
    code: str
    label: str
    provenance: str  # always "classifier" here
    rule: str


# --- splitting a paragraph into recommendations -------------------------------------------------

# "(Brazil);", "(Iran (Islamic Republic of));", "(Spain)," or a final "(Chad)"; not "(CRPD);".
_STATE_BRACKET = re.compile(
    r"\s*\((?P<state>[A-Z][a-z’'][^()]*(?:\([^()]*\)[^()]*)?)\)\s*(?:[;,.]|$)"
)
_LETTER_MARKER = re.compile(r"^\(?[a-z]\)\s*")


def split_recommendations(text: str) -> list[str]:
    """The recommendations in a paragraph, without State brackets or "(a)" markers."""
    parts, start = [], 0
    for m in _STATE_BRACKET.finditer(text):
        parts.append(text[start : m.start()])
        start = m.end()
    parts.append(text[start:])
    cleaned = [_LETTER_MARKER.sub("", p.strip(" ;,.\n")).strip() for p in parts]
    return [p for p in cleaned if re.search(r"[A-Za-z]", p)]


# --- action category ----------------------------------------------------------------------------

_VERBS: dict[int, str] = {
    1: "seek request share ask call",
    2: "continue maintain persevere pursue keep sustain",
    3: "consider explore envisage envision study reflect examine analyse analyze review reconsider "
    "re-examine assess evaluate look",
    4: "accelerate address advance allocate apply approach boost bridge build carry combat commit "
    "consolidate consult cooperate deal deepen deploy empower encourage endeavour engage enhance "
    "ensure enter expand expedite facilitate fight foster give guarantee help improve increase "
    "intensify invest make pay prevent prioritize prioritise promote protect provide raise "
    "recognize reduce redouble reinforce respect respond safeguard sensitize speed step "
    "strengthen strive support tackle take uphold widen work",
    5: "abolish accede accept adopt align amend appoint approve cease close complete conduct "
    "create criminalize criminalise decriminalize define design develop draft elaborate eliminate "
    "enact enforce eradicate establish extend finalize finalise formulate grant halt harmonize "
    "implement incorporate institute introduce investigate invite issue legislate lift pass "
    "prohibit prosecute publish punish put ratify reform release repeal revise revoke set sign "
    "submit suspend undertake withdraw",
}
VERB_CATEGORY: dict[str, int] = {v: cat for cat, words in _VERBS.items() for v in words.split()}

_SKIP_WORDS = {"further", "also", "to", "even", "then", "please", "still", "always"}
_INTRO_WORDS = {
    "in",
    "on",
    "through",
    "as",
    "by",
    "regarding",
    "with",
    "along",
    "given",
    "while",
    "upon",
    "following",
    "under",
    "within",
}
# A clause opening with one of these has a subject: its verb comes later.
_SUBJECT_WORDS = {"the", "it", "cambodia", "government", "authorities", "state", "parties"}
_WORD = re.compile(r"[a-z][a-z'-]*")

_AUX_MEASURES = re.compile(
    r"^(?:take|adopt|implement|put in place|undertake)(?:\s+and\s+(?:implement|apply|take))?"
    r"\s+(?:(?:the|all|any|every|its|further|more"
    r"|necessary|appropriate|effective|concrete|due|relevant|additional|urgent|immediate|legislative"
    r"|and|other|specific|practical|positive|adequate|strict|strong|decisive|affirmative)\s+){0,4}"
    r"(?:measures?|steps?|action)\b(?P<rest>.*)"
)
_AUX_TARGET = re.compile(r"^\s*(?:(?:which|that|in order)\s+)?(?:to|towards)\b(?P<tail>.*)")
_EFFORTS = re.compile(
    r"^(?:make|increase|intensify|redouble|step up|deploy|carry out|strengthen|boost|exert|double)"
    r"\s+(?:[\w-]+\s+){0,3}?(?:efforts?|endeavours?)\b"
)
_JOINED = re.compile(r"\s*(?:,|\band\b|\bor\b)\s*(?:[a-z]+ly\s+)?([a-z-]+)\b")
_PHRASES: tuple[tuple[re.Pattern[str], int, str], ...] = tuple(
    (re.compile(p), cat, name)
    for p, cat, name in (
        (r"^make\b[^;]*?\bdeclarations?\b", 5, "'make ... declarations'"),
        (r"^make\b[^;]*?\bcompulsory\b", 5, "'make ... compulsory'"),
        (r"^create\s+(?:[\w-]+\s+)?conditions\b", 4, "'create conditions'"),
        (r"^give continuity\b", 2, "'give continuity'"),
        (r"^stay steadfast\b", 2, "'stay steadfast'"),
        (r"^(?:step|speed|scale) up\b", 4, "'step up'"),
        (r"^(?:put in place|put an end|set up)\b", 5, "'put in place / put an end / set up'"),
        (r"^look (?:for|into|at)\b", 3, "'look for / into'"),
    )
)


def _lemma(word: str) -> str | None:
    """Base form of a listed verb, also from a gerund ("ratifying", "exploring")."""
    if word in VERB_CATEGORY:
        return word
    if word.endswith("ing"):
        stem = word[:-3]
        for cand in (stem, stem + "e", stem[:-1]):  # strengthen-ing, explor-e, cooperat-e
            if cand in VERB_CATEGORY:
                return cand
    return None


def _is_skippable(word: str) -> bool:
    return word in _SKIP_WORDS or (word.endswith("ly") and word not in VERB_CATEGORY)


def _leading_clause(rec: str) -> str:
    """The recommendation from its leading verb on, lower-cased."""
    s = rec.lower().replace("’", "'")
    words = _WORD.findall(s)
    if words and words[0] in _INTRO_WORDS:
        # "In line with ..., adopt": resume after the first comma that is followed by a verb.
        for m in re.finditer(r",\s*([a-z-]+)", s):
            if _lemma(m.group(1)) or _is_skippable(m.group(1)):
                s = s[m.start(1) :]
                break
    tokens = [m for m in _WORD.finditer(s) if not _is_skippable(m.group(0))]
    if not tokens:
        return s
    if tokens[0].group(0) in _SUBJECT_WORDS:
        # "The parties concerned should promote ...": start at the first listed verb.
        for m in tokens:
            if _lemma(m.group(0)):
                return s[m.start() :]
    return s[tokens[0].start() :]


def _next_verb(s: str) -> str | None:
    """The first word of `s` (after skippable words), as a listed verb, or None."""
    for w in _WORD.findall(s):
        if _is_skippable(w):
            continue
        return _lemma(w)
    return None


def _categorise(rec: str) -> tuple[int, str]:
    """Action category of one recommendation and the rule that decided it."""
    s = _leading_clause(rec)
    for pattern, cat, name in _PHRASES:
        if pattern.match(s):
            return cat, f"phrase {name}"
    words = _WORD.findall(s)
    verb = _lemma(words[0]) if words else None
    if verb is None:
        return 4, f"default (no listed verb) '{words[0] if words else ''}'"
    after = s[len(words[0]) :]

    if VERB_CATEGORY[verb] == 2:
        nxt = _next_verb(after)
        if nxt and VERB_CATEGORY[nxt] in (1, 3):
            cat = VERB_CATEGORY[nxt]
            return cat, f"'{verb}' + {ACTION_CATEGORIES[str(cat)].lower()} verb '{nxt}'"
        return 2, f"leading verb '{verb}' (continuity)"

    if verb == "seek" and re.match(r"\s+to\b", after):  # "seek to strengthen" = try to
        return _categorise(after.strip()[2:])

    if m := _AUX_MEASURES.match(s):
        t = _AUX_TARGET.match(m.group("rest"))
        target = _next_verb(t.group("tail")) if t else None
        if target and VERB_CATEGORY[target] == 5:
            return 5, f"'{verb} measures/steps to' + specific verb '{target}'"
        return 4, f"'{verb} measures/steps' (general)"

    if _EFFORTS.match(s):
        return 4, "'... efforts' (general)"

    # Verbs joined to the leading verb: "sign and ratify", "review and pass", "repeal or amend".
    cat, rule = VERB_CATEGORY[verb], f"leading verb '{verb}'"
    while m := _JOINED.match(after):
        joined = _lemma(m.group(1))
        if joined is None or m.group(1).endswith("ing"):
            break
        if VERB_CATEGORY[joined] > cat:
            cat, rule = VERB_CATEGORY[joined], f"leading verbs '{verb} ... {joined}'"
        after = after[m.end() :]
    return cat, rule


def action_category(text: str) -> tuple[str, str]:
    """(code, rule) for a paragraph; clusters take the highest category of their parts."""
    recs = split_recommendations(text) or [text]
    results = [_categorise(r) for r in recs]
    if len(results) == 1:
        cat, rule = results[0]
        return str(cat), f"action_category.{cat}: {rule}"
    best = max(range(len(results)), key=lambda i: results[i][0])  # first part with the max
    cat, rule = results[best]
    cats = ",".join(str(c) for c, _ in results)
    return str(cat), (
        f"action_category.{cat}: cluster of {len(results)} recommendations [{cats}], "
        f"highest category taken; part {best + 1}: {rule}"
    )


# --- themes and groups --------------------------------------------------------------------------

# code -> patterns, tried in order; the first that matches names the rule. Matching is
# case-insensitive except inside (?-i:...), used for acronyms.
THEME_RULES: dict[str, tuple[str, ...]] = {
    "ratification": (
        r"\bratif\w*",
        r"\baccede\b",
        r"\baccession\b",
        r"\bacceding\b",
        r"\bdeclarations? under articles?\b",
        r"\bcore human rights instruments\b",
    ),
    "un_cooperation": (
        r"\bstanding invitation\b",
        r"\bspecial procedures?\b",
        r"\bmandate[- ]holders?\b",
        r"\btreaty bod(?:y|ies)\b",
        r"\bvisits?\b",
        r"\bvisit requests?\b",
        r"(?-i:\bOHCHR\b)",
        r"\bcooperat\w* with (?:[\w-]+ ){0,4}(?:United Nations|High Commissioner"
        r"|Special Rapporteur|special procedures|treaty bodies)",
        r"\b(?:work|relationship) with the Special Rapporteur\b",
        r"\bUnited Nations human rights (?:bodies|mechanisms)\b",
        r"\bhuman rights monitoring mechanisms\b",
        r"\bmechanisms of the Human Rights Council\b",
    ),
    "technical_assistance": (
        r"\btechnical (?:and financial )?assistance\b",
        r"\btechnical cooperation\b",
        r"\binternational (?:community|assistance|cooperation|donors)\b",
        r"\bdevelopment partners\b",
        r"\bin cooperation with\b",
        r"\bwith the assistance of\b",
    ),
    "hr_framework": (
        r"\blegal (?:and judicial )?reforms?\b",
        r"\blaw reforms?\b",
        r"\blegislative (?:and institutional )?reforms?\b",
        r"\bharmoni[sz]ation of (?:the )?laws\b",
        r"\blegislative instruments\b",
        r"(?<!land )\breforms? programmes?\b",
        r"\bhuman rights infrastructure\b",
        r"\bnational institutional capacity\b",
        r"\bnational human rights (?:action )?plan\b",
        r"\b(?:penal|criminal) code\b",
    ),
    "nhri": (
        r"\bnational human rights institutions?\b",
        r"(?-i:\bNHRIs?\b)",
        r"\bParis Principles\b",
        r"\bhuman rights institution\b",
        r"\binstitution in charge of human rights\b",
        r"\bnational institution for the promotion and protection of human rights\b",
    ),
    "hr_education": (
        r"\bhuman rights education\b",
        r"\bawareness (?:of|about) human rights\b",
        r"\btraining (?:of|for) (?:the )?(?:police|law enforcement|government"
        r" officials|judges)\b",
    ),
    "justice_fair_trial": (
        r"\bjudicia(?:l|ry)\b",
        r"\bjudges?\b",
        r"\bjustice system\b",
        r"\baccess to justice\b",
        r"\bindependen\w* (?:of )?(?:the )?justice\b",
        r"\bjuvenile justice\b",
        r"\bfair trial\b",
        r"\bcourt system\b",
        r"\blabour courts?\b",
        r"\btribunals?\b",
        r"\blawyers?\b",
        r"\bprosecutors?\b",
        r"\blegal (?:counsel|aid)\b",
        r"\bmagistracy\b",
        r"\bExtraordinary (?:Chambers|Courts)\b",
        r"(?-i:\bECCC\b)",
    ),
    "impunity_rule_of_law": (
        r"\bimpunity\b",
        r"\brule of law\b",
        r"\baccountab\w*",
        r"\bperpetrators?\b",
        r"\bunpunished\b",
        r"\binvestigat\w*",
        r"\bprosecut\w*",
        r"\bExtraordinary (?:Chambers|Courts)\b",
        r"(?-i:\bECCC\b)",
        r"\bKhmer Rouge\b",
        r"\bRome Statute\b",
        r"\bInternational Criminal Court\b",
        r"\bPrivileges and Immunities of the Court\b",
        r"\blaw enforcement\b",
        r"\bright to truth\b",
    ),
    "corruption_governance": (
        r"\bcorrupt\w*",
        r"\bgovernance\b",
        r"\bTransparency Initiative\b",
        r"\bfinancial disclosures?\b",
        r"\btransparent management\b",
    ),
    "hrds": (
        r"\bhuman rights defenders?\b",
        r"\bdefenders\b",
        r"\bactivists?\b",
        r"\bdefend and promote human rights\b",
    ),
    "civil_society": (
        r"\bcivil society\b",
        r"\bnon-governmental organi[sz]ation",
        r"(?-i:\bNGOs?\b)",
        r"(?-i:\bLANGO\b)",
        r"\blaw on associations\b",
    ),
    "expression_media": (
        r"\bexpression\b",
        r"\bfree(?:dom of)? (?:the )?press\b",
        r"\bpress (?:law|freedom)\b",
        r"\bof the press\b",
        r"\bmedia\b",
        r"\bjournalists?\b",
        r"\bdefamation\b",
        r"\bdisinformation\b",
        r"\bcensorship\b",
        r"\bfreedom of information\b",
        r"\binternet\b",
        r"\bbloggers?\b",
        r"\bcyber ?law\b",
    ),
    "assembly_association": (
        r"(?<!General )(?<!National )\bassembly\b",
        r"\bassociations?\b",
        r"\bdemonstrat(?:ions?|ors)\b",
        r"\bprotest(?:ers|s)?\b",
        r"\bcrowd control\b",
    ),
    "elections": (
        r"\belect(?:ion|ions|oral|ed)?\b",
        r"\bvot(?:ers?|ing|e)\b",
        r"\bpolitical part(?:y|ies)\b",
        r"\bpolitical participation\b",
        r"\bcandidates\b",
        r"\bparliamentar\w*",
        r"\bopposition\b",
        r"\bpluralism\b",
    ),
    "detention": (
        r"\bdetention\b",
        r"\bdetain(?:ed|ees?)\b",
        r"\bprisons?\b",
        r"\bprisoners?\b",
        r"\barbitrary arrests?\b",
        r"\bpretrial\b",
        r"\bconditions of arrest\b",
        r"\bdeprived of (?:their )?liberty\b",
        r"\brehabilitation centres?\b",
    ),
    "torture": (
        r"\btorture\b",
        r"\bill-treatment\b",
        r"\bmistreatment\b",
        r"(?-i:\bOP-CAT\b)",
        r"(?-i:\bCAT\b)",
        r"\bnational preventive mechanism\b",
        r"\bcruel,? inhuman or degrading\b",
    ),
    "enforced_disappearance": (
        r"\benforced disappearances?\b",
        r"(?-i:\bCED\b)",
        r"\bdisappear\w*",
    ),
    "death_penalty": (
        r"\bdeath penalty\b",
        r"\bcapital punishment\b",
        r"\bsecond optional protocol\b",
        r"\boptional protocols 1 and 2\b",
        r"\btwo optional protocols to the (?:international covenant on civil"
        r" and political rights|ICCPR)\b",
        r"\boptional protocols to (?:the )?ICCPR\b",
    ),
    "trafficking": (
        r"\btraffick\w*",
        r"\bsexual exploitation\b",
        r"\bexploitation of women\b",
        r"\bsale of children\b",
        r"\bprostitution\b",
        r"\bchild pornography\b",
        r"\bforced labour\b",
        r"\bfalse job offers\b",
    ),
    "land_housing": (
        r"\bland\b",
        r"\bevict\w*",
        r"\bresettle\w*",
        r"\brelocat\w*",
        r"\bhousing\b",
        r"\bhouses\b",
        r"\bexpropriations?\b",
        r"\bdispossession\b",
        r"\bdisplace(?:d|ment)\b",
    ),
    "labour": (
        r"(?<!International )\blabou?r\b",
        r"\btrade unions?\b",
        r"\btrade unionists?\b",
        r"\bunions\b",
        r"\bworkers?\b",
        r"\b(?:un)?employment\b",
        r"\bjobs?\b",
        r"\bemployees\b",
        r"\bwork ?place\b",
        r"\bat work\b",
        r"\bvocational training\b",
        r"\bcorporate social responsibility\b",
        r"\bbusiness and human rights\b",
    ),
    "education": (
        r"(?<!human rights )\beducation(?:al)?\b",
        r"\bschools?\b",
        r"\billiteracy\b",
        r"\bliteracy\b",
        r"\benrolment\b",
        r"\bvocational training\b",
    ),
    "health": (
        r"\bhealth\b",
        r"\bhealth-care\b",
        r"(?-i:\bHIV\b)",
        r"(?-i:\bAIDS\b)",
        r"\bcontracepti\w*",
        r"\breproductive\b",
        r"\bmaternal\b",
    ),
    "poverty_development": (
        r"\bpoverty\b",
        r"\bpoor\b",
        r"\bMillennium (?:Development|Declaration)",
        r"(?-i:\bMDGs?\b)",
        r"\bright to development\b",
        r"\b(?:socio-?economic|sustainable|economic|human|social|rural)"
        r" development\b",
        r"\bdevelopment (?:plans?|strateg\w*|polic\w*)\b",
        r"\bstandard of living\b",
        r"(?<!Committee on )\beconomic,? social and cultural rights\b",
        r"\b(?:economic and social|social and economic) rights\b",
        r"\bsocial (?:policy|policies|programmes|services|safety|security"
        r"|protection|justice|inequality|wellbeing|rights)\b",
        r"\bsocio-?economic\b",
        r"\bfood security\b",
        r"\bwealth\b",
        r"\bincome\b",
        r"\bjob creation\b",
        r"\b(?:income|social|economic|urban-rural|rural-urban) inequalit\w*",
        r"\bunderprivileged\b",
        r"\bdisadvantaged\b",
        r"\bwell-being\b",
    ),
    "women": (
        r"\bwom[ae]n",
        r"\bgirls?\b",
        r"\bgender\b",
        r"(?-i:\bCEDAW\b)",
        r"\bdomestic violence\b",
        r"\bsexual violence\b",
        r"\bmaternal\b",
        r"\bmother-child\b",
        r"\bChbab Srey\b",
        r"\bpatriarchal\b",
    ),
    "children": (
        r"\bchild\w*",
        r"\bminors?\b",
        r"\bjuveniles?\b",
        r"\borphans?\b",
        r"\bbirth registration\b",
        r"\bregistration at birth\b",
        r"(?-i:\bCRC\b)",
    ),
    "family": (r"\bthe family\b", r"\bmarriage\b", r"\bfamily-oriented\b"),
    "lgbti": (
        r"(?-i:\bLGBT\w*)",
        r"\blesbian\b",
        r"\bgay\b",
        r"\bbisexual\b",
        r"\btransgender\b",
        r"\bintersex\b",
        r"\bsexual orientation\b",
        r"\bgender identity\b",
        r"(?-i:\bSOGIE?\b)",
        r"\bsame-sex\b",
    ),
    "disabilities": (r"\bdisabilit\w*", r"\bdisabled\b", r"(?-i:\bCRPD\b)"),
    "indigenous_minorities": (
        r"\bindigenous\b",
        r"\bminorit(?:y|ies)\b",
        r"\bethnic\b",
        r"\binter-ethnic\b",
        r"\bVietnamese\b",
        r"\bnon-Khmer\b",
        r"\bCham\b",
        r"\bKhmer Krom\b",
        r"\bConvention No\.? ?169\b",
    ),
    "migrants": (
        r"\bmigra(?:nt|nts|tion)\b",
        r"\bnationality\b",
        r"\bstateless\w*",
        r"\bcountries where [\w ]+ are hired\b",
    ),
}

GROUP_RULES: dict[str, tuple[str, ...]] = {
    "women": (r"\bwom[ae]n", r"\bgirls?\b", r"\bmothers?\b", r"\bmother-child\b"),
    "children": (
        r"\bchild(?:ren|'s|’s)?\b",
        r"\bminors?\b",
        r"\bjuveniles?\b",
        r"\borphans\b",
        r"\bgirls\b",
        r"\bmother-child\b",
    ),
    "youth": (r"\byouth\b", r"\byoung people\b"),
    "older_persons": (r"\belderly\b", r"\bolder (?:persons|people)\b"),
    "persons_disabilities": (r"\bdisabilit\w*", r"\bdisabled\b", r"(?-i:\bCRPD\b)"),
    "indigenous_peoples": (r"\bindigenous\b", r"\bConvention No\.? ?169\b"),
    "minorities": (
        r"\bminorit(?:y|ies)\b",
        r"\bethnic\b",
        r"\binter-ethnic\b",
        r"\bVietnamese (?:origin|descent)\b",
        r"\bnon-Khmer\b",
        r"\bCham\b",
        r"\bKhmer Krom\b",
        r"\breligious groups?\b",
    ),
    "lgbti": THEME_RULES["lgbti"],
    "hrds": (
        r"\bhuman rights defenders?\b",
        r"\bdefenders\b",
        r"\bactivists?\b",
        r"\bdefend and promote human rights\b",
    ),
    "journalists": (
        r"\bjournalists?\b",
        r"\bmedia (?:professionals|workers)\b",
        r"\bbloggers?\b",
        r"\breporters?\b",
    ),
    "opposition": (
        r"\bopposition\b",
        r"\bparliamentarians?\b",
        r"\bpolitical parties\b",
        r"\bcandidates\b",
        r"\bdissenting views\b",
    ),
    "detainees": (
        r"\bdetainees?\b",
        r"\bprisoners?\b",
        r"\bprisons?\b",
        r"\bdetained\b",
        r"\bpretrial detention\b",
        r"\bdeprived of (?:their )?liberty\b",
        r"\brehabilitation centres?\b",
    ),
    "rural_poor": (
        r"\brural\b",
        r"\bthe poor\b",
        r"\bpoor (?:people|families|environment)\b",
        r"\bpoverty line\b",
        r"\bindigent\b",
        r"\bpeasants?\b",
        r"\bliving in poverty\b",
        r"\bunderprivileged\b",
        r"\bdisadvantaged\b",
        r"\bliving on the streets\b",
        r"\bstreet children\b",
        r"\bremote areas\b",
    ),
    "land_communities": (
        r"\bevicted\b",
        r"\bevictees\b",
        r"\bdisplaced\b",
        r"\bresettled\b",
        r"\brelocated\b",
        r"\bpopulation affected by the expropriations\b",
        r"\brelocations of families\b",
        r"\bcommunities to protect land\b",
    ),
    "migrants": (r"\bmigrants?\b", r"\bmigrant workers\b", r"\bcountries where [\w ]+ are hired\b"),
    "workers": (
        r"\bworkers?\b",
        r"\btrade unionists?\b",
        r"\b(?:labour|trade) unions?\b",
        r"\bemployees\b",
    ),
    "victims_trafficking": (
        r"\bvictims of trafficking\b",
        r"\btrafficked (?:persons|women|children)\b",
        r"\btraffick\w*[^;]*\bvictims\b",
    ),
    "persons_hiv": (r"(?-i:\bHIV\b)", r"(?-i:\bAIDS\b)"),
    "vulnerable_groups": (r"\bvulnerable\b", r"\bmarginali[sz]ed\b"),
}

_COMPILED: dict[str, dict[str, tuple[re.Pattern[str], ...]]] = {
    scheme: {
        code: tuple(re.compile(p, re.IGNORECASE) for p in pats) for code, pats in rules.items()
    }
    for scheme, rules in (("theme", THEME_RULES), ("group", GROUP_RULES))
}


def _keyword_tags(scheme: str, text: str, labels: dict[str, str]) -> list[Tag]:
    tags = []
    for code, patterns in _COMPILED[scheme].items():
        for pattern in patterns:
            if m := pattern.search(text):
                found = " ".join(m.group(0).split()).lower()
                found = found if len(found) <= 40 else found[:37] + "..."
                rule = f"{scheme}.{code}: keyword '{found}'"
                tags.append(Tag(scheme, code, labels[code], PROVENANCE, rule))
                break
    return tags


def classify(text: str) -> list[Tag]:
    """Tags for one recommendation paragraph, sorted by (scheme, code); see the module doc."""
    recs = split_recommendations(text) or [text]
    body = " ; ".join(recs)
    code, rule = action_category(text)
    tags = [Tag("action_category", code, ACTION_CATEGORIES[code], PROVENANCE, rule)]
    themes = _keyword_tags("theme", body, THEMES)
    if not themes:
        rule = f"theme.{FALLBACK_THEME}: fallback (no theme keyword matched)"
        themes = [Tag("theme", FALLBACK_THEME, THEMES[FALLBACK_THEME], PROVENANCE, rule)]
    tags += themes + _keyword_tags("group", body, GROUPS)
    return sorted(tags, key=lambda t: (t.scheme, t.code))


def _rules_appendix() -> str:
    lines = ["", "Verb table (action category <- verbs):"]
    for cat, words in _VERBS.items():
        lines.append(f"  {cat} {ACTION_CATEGORIES[str(cat)]}: {', '.join(words.split())}")
    lines.append("Phrases (checked first): " + "; ".join(f"{n} = {c}" for _, c, n in _PHRASES))
    for scheme, rules, labels in (("theme", THEME_RULES, THEMES), ("group", GROUP_RULES, GROUPS)):
        lines.append(f"Keyword rules, {scheme} (regular expressions, case-insensitive):")
        for code, patterns in rules.items():
            lines.append(f"  {code} ({labels[code]}): {' | '.join(patterns)}")
    return "\n".join(lines)


RULES_DOC: str = (__doc__ or "") + _rules_appendix()


def tag_rows(rec_id: str, text: str, skip_schemes: frozenset[str] = frozenset()) -> list[dict]:
    """The classifier's tags of one recommendation as rows of the `tags` table."""
    return [
        dict(rec_id=rec_id, scheme=t.scheme, code=t.code, label=t.label,
             provenance=t.provenance, rule=t.rule)
        for t in classify(text)
        if t.scheme not in skip_schemes
    ]  # fmt: skip
