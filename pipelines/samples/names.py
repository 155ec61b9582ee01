"""Name pools for sample extracts: ordinary people and companies from many locales, none listed."""

from __future__ import annotations

from typing import Final

GIVEN: Final[dict[str, tuple[str, ...]]] = {
    "GB": ("Oliver", "George", "Harry", "Jack", "Amelia", "Olivia", "Isla", "Emily", "Thomas", "Charlotte",
           "James", "William", "Sophie", "Grace", "Daniel", "Lucy", "Samuel", "Hannah", "Edward", "Alice"),
    "DE": ("Lukas", "Leon", "Finn", "Jonas", "Mia", "Emma", "Hannah", "Lena", "Matthias", "Katrin",
           "Jürgen", "Sabine", "Stefan", "Ute", "Tobias", "Anja"),
    "FR": ("Louis", "Gabriel", "Jules", "Hugo", "Léa", "Chloé", "Manon", "Camille", "Étienne", "Amélie",
           "François", "Hélène", "Mathieu", "Céline"),
    "ES": ("Alejandro", "Pablo", "Hugo", "Lucía", "Sofía", "María", "Javier", "Carmen", "José", "Marta",
           "Álvaro", "Inés"),
    "IT": ("Francesco", "Alessandro", "Lorenzo", "Giulia", "Chiara", "Sofia", "Matteo", "Federica",
           "Giorgio", "Valentina"),
    "PL": ("Jakub", "Kacper", "Zuzanna", "Julia", "Piotr", "Agnieszka", "Tomasz", "Katarzyna"),
    "TR": ("Mehmet", "Mustafa", "Emre", "Elif", "Zeynep", "Ayşe", "Burak", "Selin", "Kerem", "Derya"),
    "RU": ("Dmitry", "Sergey", "Andrei", "Alexei", "Natalia", "Olga", "Tatiana", "Irina", "Pavel", "Yulia",
           "Mikhail", "Ekaterina"),
    "EG": ("Omar", "Youssef", "Karim", "Tarek", "Mona", "Nour", "Salma", "Hany", "Rania", "Amr"),
    "IN": ("Aarav", "Vivaan", "Aditya", "Priya", "Ananya", "Rohan", "Kavya", "Arjun", "Sneha", "Rahul"),
    "CN": ("Wei", "Fang", "Jing", "Lei", "Min", "Jun", "Xiu Ying", "Hao", "Yan", "Tao"),
    "NG": ("Chinedu", "Ngozi", "Emeka", "Adaeze", "Tunde", "Funmilayo", "Ifeanyi", "Amaka"),
    "BR": ("João", "Gabriel", "Ana", "Beatriz", "Lucas", "Mariana", "Rafael", "Larissa"),
    "JP": ("Haruto", "Yuto", "Sota", "Yui", "Aoi", "Hina", "Ren", "Sakura"),
    "KR": ("Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Ji-woo"),
}

FAMILY: Final[dict[str, tuple[str, ...]]] = {
    "GB": ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Thomas", "Roberts",
           "Walker", "Wright", "Robinson", "Thompson", "Hughes", "Edwards", "Green", "Hall", "Wood", "Clarke"),
    "DE": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann",
           "Schäfer", "Koch", "Richter"),
    "FR": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
           "Lefèvre", "Fournier"),
    "ES": ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
           "Ruiz"),
    "IT": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco"),
    "PL": ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński"),
    "TR": ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan", "Doğan"),
    "RU": ("Smirnov", "Kuznetsov", "Popov", "Vasiliev", "Sokolov", "Mikhailov", "Novikov", "Fedorov",
           "Morozov", "Volkov", "Lebedev", "Kozlov"),
    "EG": ("Hassan", "Mahmoud", "Ibrahim", "Mostafa", "Abdelrahman", "Saleh", "Farouk", "Nasser", "Fathy",
           "Gamal"),
    "IN": ("Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta", "Joshi"),
    "CN": ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou"),
    "NG": ("Okafor", "Adeyemi", "Balogun", "Eze", "Nwosu", "Okonkwo", "Afolabi", "Chukwu"),
    "BR": ("Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Almeida"),
    "JP": ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
    "KR": ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon"),
}

# A few customers whose names the bank keeps in their own script.
NATIVE: Final[dict[str, tuple[str, ...]]] = {
    "RU": ("Сергей Смирнов", "Ольга Кузнецова", "Павел Новиков", "Ирина Морозова"),
    "EG": ("عمر حسن", "منى إبراهيم", "كريم صالح"),
    "CN": ("王伟", "李娜", "张敏"),
    "GR": ("Γιώργος Παπαδόπουλος", "Μαρία Νικολάου"),
    "JP": ("佐藤 健", "鈴木 花子"),
    "KR": ("김민준", "이서연"),
}

COMPANY_WORDS: Final = (
    "Northern", "Atlas", "Harbour", "Greenfield", "Summit", "Pioneer", "Crescent", "Meridian", "Silverline",
    "Oakwood", "Bluewater", "Riverside", "Highland", "Sterling", "Granite", "Horizon", "Evergreen", "Lakeside",
    "Redstone", "Westgate", "Amber", "Cobalt", "Falcon", "Juniper", "Kestrel", "Linden", "Maple", "Nova",
    "Orchid", "Quartz", "Sapphire", "Tundra", "Vantage", "Willow", "Zenith", "Baltic", "Adriatic", "Andes",
)
# The sample register's companies draw on words of their own, so that a bank's ordinary customers
# do not share their names by accident (planted flagged companies are copied over on purpose).
REGISTER_COMPANY_WORDS: Final = (
    "Albion", "Brackenridge", "Caledon", "Dunmore", "Elmsworth", "Fenwick", "Glenholm", "Hartfield",
    "Ivybridge", "Kingsmere", "Larkspur", "Moorgate", "Northcote", "Ottershaw", "Pembury", "Queensbury",
    "Radstock", "Stanmore", "Thornbury", "Upwell", "Wexcombe", "Yarrowdale", "Ashdown", "Belmont",
)
COMPANY_TRADES: Final = (
    "Logistics", "Trading", "Holdings", "Textiles", "Foods", "Engineering", "Consulting", "Shipping",
    "Pharma", "Software", "Construction", "Imports", "Agro", "Metals", "Energy", "Media", "Capital",
    "Properties", "Electronics", "Plastics",
)
LEGAL_FORMS: Final[dict[str, tuple[str, ...]]] = {
    "GB": ("Ltd", "Limited", "PLC", "LLP"),
    "DE": ("GmbH", "AG", "KG"),
    "FR": ("SARL", "SA", "SAS"),
    "ES": ("S.L.", "S.A."),
    "IT": ("S.r.l.", "S.p.A."),
    "PL": ("Sp. z o.o.", "S.A."),
    "TR": ("A.Ş.", "Ltd. Şti."),
    "RU": ("OOO", "AO", "PAO"),
    "EG": ("S.A.E.", "LLC"),
    "IN": ("Pvt Ltd", "Limited"),
    "CN": ("Co., Ltd.", "Group Co., Ltd."),
    "NG": ("Limited", "Plc"),
    "BR": ("Ltda", "S.A."),
    "JP": ("K.K.", "Co., Ltd."),
    "KR": ("Co., Ltd.", "Corporation"),
}

# Spelling variants used to plant realistic variations of listed names.
TRANSLIT_VARIANTS: Final[tuple[tuple[str, str], ...]] = (
    ("Muhammad", "Mohammed"), ("Mohammed", "Muhammad"), ("Mohammad", "Muhammed"), ("Mohamed", "Mohammad"),
    ("Abdul", "Abd al"), ("Abd al", "Abdul"), ("Abdel", "Abd el"), ("Hussein", "Husayn"), ("Husayn", "Hussein"),
    ("Hassan", "Hasan"), ("Yusuf", "Youssef"), ("Osama", "Usama"), ("Usama", "Osama"), ("Qasim", "Kasim"),
    ("Khalil", "Halil"), ("Kh", "H"), ("ov ", "off "), ("ev ", "eff "), ("Aleksandr", "Alexander"),
    ("Alexander", "Aleksandr"), ("Yevgeny", "Evgeniy"), ("Yevgeniy", "Evgeny"), ("Sergei", "Sergey"),
    ("Sergey", "Sergei"), ("Dmitri", "Dmitry"), ("Yuri", "Yury"), ("iy ", "y "), ("Ju", "Yu"), ("Jo", "Yo"),
    ("Ali", "Aly"), ("ou", "u"), ("ee", "i"), ("Ch", "Tsh"), ("Zh", "J"), ("Abu ", "Abou "),
)
LEGAL_FORM_VARIANTS: Final[tuple[tuple[str, str], ...]] = (
    ("LIMITED", "LTD"), ("LTD", "LIMITED"), ("Limited", "Ltd."), ("Ltd", "Limited"), ("LLC", "L.L.C."),
    ("L.L.C.", "LLC"), ("COMPANY", "CO."), ("Company", "Co"), ("CORPORATION", "CORP"), ("Corporation", "Corp."),
    ("JSC", "Joint Stock Company"), ("OJSC", "Open Joint Stock Company"), ("OOO", "LLC"), ("GMBH", "G.m.b.H."),
    ("S.A.", "SA"), ("INC.", "Incorporated"), ("Inc.", "Incorporated"), ("CO., LTD.", "Company Limited"),
    ("Co., Ltd.", "Company Limited"),
)
