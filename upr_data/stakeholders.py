"""What each stakeholder role is expected to do in the implementation phase.

From the factsheet "The Universal Periodic Review - Cambodia - The implementation phase" (third
cycle), summarised; UN bodies are added because they too report and assess.
"""

from __future__ import annotations

from .i18n import N_

EXPECTED: dict[str, list[str]] = {
    "government": [
        N_("Policy making and legislation"),
        N_("Regular, inclusive and meaningful consultation with civil society"),
        N_("A permanent, cross-ministerial National Mechanism for Reporting and Follow-up (NMRF)"),
        N_("A Human Rights Action Plan naming the ministries responsible, with indicators"),
    ],
    "recommending_state": [
        N_(
            "Continue bilateral dialogue; ask for details of implementation plans and offer "
            "technical assistance"
        ),
        N_("Support civil society financially and help protect civic space from reprisals"),
        N_("Monitor and report on implementation"),
    ],
    "civil_society": [
        N_("Assist and cooperate with all stakeholders in implementation"),
        N_("Advise the government on specific human rights issues"),
        N_("Advocate on the issues underlying the recommendations"),
        N_("Monitor and report on implementation"),
    ],
    "public": [
        N_("Engage in and catalyse public debate on the UPR and its recommendations"),
        N_("Help monitor implementation"),
        N_("Publicly urge the government to implement accepted recommendations"),
    ],
    "un": [
        N_("Report on implementation (OHCHR, special rapporteurs) and offer technical assistance"),
    ],
}
SOURCE = N_(
    "Factsheet “The Universal Periodic Review – Cambodia – The implementation phase” "
    "(third cycle); UN bodies added."
)
