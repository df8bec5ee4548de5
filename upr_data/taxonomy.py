"""Tag vocabularies: code -> English label, in display order.

Three schemes tag each recommendation (see `classify` for the rules that assign them):

- `theme`: aligned with the themes of the UN Universal Human Rights Index (UHRI), merged where
  UHRI is finer than the dashboard needs, and naming the issues Cambodia's stakeholders track
  (land, human rights defenders, civic space, the Khmer Rouge tribunal). `hr_framework` is also
  the classifier's fallback when no other theme matches.
- `group`: groups of persons a recommendation names (UHRI "affected persons").
- `action_category`: UPR Info's 1-5 scale of the action asked of the State under review.

Codes are short, URL-safe and stable: stored tags and curator corrections refer to them.
"""

THEMES: dict[str, str] = {
    # International framework and cooperation
    "ratification": "Ratification of international instruments",
    "un_cooperation": "Cooperation with UN human rights mechanisms",
    "technical_assistance": "International cooperation and technical assistance",
    # National framework
    "hr_framework": "National human rights framework, laws and policies",
    "nhri": "National human rights institution (NHRI)",
    "hr_education": "Human rights education and training",
    # Civil and political rights
    "justice_fair_trial": "Justice, judicial independence and fair trial",
    "impunity_rule_of_law": "Impunity, accountability and rule of law (incl. ECCC, ICC)",
    "corruption_governance": "Corruption and governance",
    "hrds": "Human rights defenders",
    "civil_society": "Civil society space and NGOs",
    "expression_media": "Freedom of expression, media and information",
    "assembly_association": "Freedom of peaceful assembly and association",
    "elections": "Political participation and elections",
    "detention": "Detention, prison conditions and political prisoners",
    "torture": "Torture and ill-treatment (incl. OP-CAT)",
    "enforced_disappearance": "Enforced disappearance",
    "death_penalty": "Death penalty",
    "trafficking": "Trafficking in persons and sexual exploitation",
    # Economic, social and cultural rights
    "land_housing": "Land, housing and forced evictions",
    "labour": "Labour rights and trade unions",
    "education": "Right to education",
    "health": "Right to health",
    "poverty_development": "Poverty, development and economic and social rights",
    # Groups and equality
    "women": "Women's rights and gender equality",
    "children": "Rights of the child",
    "family": "Family and marriage",
    "lgbti": "Sexual orientation and gender identity (LGBTI / SOGIE)",
    "disabilities": "Persons with disabilities",
    "indigenous_minorities": "Indigenous peoples and minorities",
    "migrants": "Migrants and nationality",
}

GROUPS: dict[str, str] = {
    "women": "Women and girls",
    "children": "Children",
    "youth": "Youth",
    "older_persons": "Older persons",
    "persons_disabilities": "Persons with disabilities",
    "indigenous_peoples": "Indigenous peoples",
    "minorities": "Ethnic, linguistic and religious minorities",
    "lgbti": "LGBTI persons",
    "hrds": "Human rights defenders",
    "journalists": "Journalists and media workers",
    "opposition": "Political opposition, parties and candidates",
    "detainees": "Detainees and persons deprived of liberty",
    "rural_poor": "Rural and poor people",
    "land_communities": "Communities affected by land conflicts and evictions",
    "migrants": "Migrants and migrant workers",
    "workers": "Workers and trade unionists",
    "victims_trafficking": "Victims of trafficking",
    "persons_hiv": "Persons living with HIV/AIDS",
    "vulnerable_groups": "Vulnerable and marginalised groups (general)",
}

# UPR Info's action categories (UPR Info database methodology).
ACTION_CATEGORIES: dict[str, str] = {
    "1": "Minimal action",
    "2": "Continuing action",
    "3": "Considering action",
    "4": "General action",
    "5": "Specific action",
}

SCHEMES: dict[str, dict[str, str]] = {
    "theme": THEMES,
    "group": GROUPS,
    "action_category": ACTION_CATEGORIES,
}
