"""Word sets (language, not industries: those come from the blueprints) and the city table."""

from __future__ import annotations

from kenzy.planner._text import _fold, _table

_CONNECTORS = frozenset(
    "de do da dos das di del della du des la le los las of the e and y van von der den".split()
)
_ANDS = frozenset({"e", "and", "y"})
_MAX_NAME_TOKENS = 16
_MAX_CITY_TOKENS = 6
_PLACE_PREPOSITIONS = frozenset({"em", "in", "no", "na"})
_CITY_CLOSERS = frozenset({",", ".", ")", "-", "–", "/", "|"})
_CITY_CONNECTORS = frozenset({"de", "do", "da", "dos", "das"})
_DO = frozenset({"do", "da", "dos", "das"})
_ARTICLES = frozenset({"o", "a", "os", "as", "the"})
_BOUNDARY = frozenset(
    """em in no na nos nas com with que which that who para pra pro for pelo pela pelos pelas at on
    located localizado localizada localizados situado situada onde where using usando via mas but
    porque because aceita aceitamos accepting accepts offering oferecendo quero want preciso need
    is e and perto near desde since sem without ou or tambem also""".split()
)
_POSSESSIVES = frozenset(
    "meu minha meus minhas seu sua seus suas nosso nossa nossos nossas my our your his her their um uma "
    "an this that esse essa este esta".split()
)
_GENERIC = frozenset(
    """site sites website websites pagina paginas page pages empresa empresas negocio negocios business
    company loja lojas meu minha meus minhas my our nosso nossa seu sua your todos todas todo toda all
    um uma a o os as an the novo nova new instrucoes instrucao instructions ignore ignorar apague apagar
    delete remova remover sistema system prompt comandos comando arquivos dados servidor server
    qualquer any nome name cidade city""".split()
)
_LEADS = frozenset(
    """crie cria criar faca monte montar gere gerar desenvolva desenvolver quero queria preciso precisamos
    gostaria site website pagina novo nova create build make generate design set i we my our please hi
    hello hey ola oi bom boa need want new a o os as um uma an por favor eu nos meu minha ignore apague
    delete aqui here this esse este site""".split()
)
_PERSONAL = frozenset({"meu", "minha", "seu", "sua", "my", "his", "her", "your"})
_ABBREVIATIONS = frozenset("dr dra sr sra st mr mrs ms jr prof profa cia ltda".split())
_NO_KEY_WORDS = frozenset({"slogan", "frase", "texto", "tagline", "titulo", "title", "motto", "lema"})
_NEGATIONS = frozenset(
    "sem nao nem dispenso dispensa nada without not never nor dont don't don’t doesnt doesn't doesn’t "
    "won't won’t isn't isn’t".split()
)
_NEGATION_STOPS = frozenset("e and com with mas but tambem also plus porem however".split())
_STRONG_TRIGGERS = _table(
    [
        (words, "strong")
        for words in (
            "chamado", "chamada", "chamados", "chamadas", "called", "named", "se chama", "de nome",
            "com o nome", "com o nome de", "nome fantasia", "name is", "known as", "conhecido como",
            "conhecida como", "nome :", "name :", "intitulado", "intitulada", "nome e", "nome eh",
        )
    ]
)
_WEAK_TRIGGERS = frozenset({"para", "pra", "pro", "for"})
_SITE_WORDS = frozenset({"site", "website", "pagina", "page", "loja"})

_EN_MARKERS = frozenset(
    """create build make website for my our the called named with and in please need want i we place
    shop of is to would like new ordering orders order accept accepts via located it me us can you
    should have has an store firm business that which online through also want our help""".split()
)
_PT_MARKERS = frozenset(
    """crie criar cria faca monte quero preciso gostaria um uma para pra pro do da dos das de com meu
    minha nosso nossa em na chamado chamada e que pelo pela sem por favor o os seu sua pedidos aceita
    aceitamos tem ter pagina nome cidade voce ola oi precisamos queremos fazer atende atendemos
    tambem tenho temos nao""".split()
)

_CLASSIC = frozenset({"classico", "classica", "classicos", "classicas", "classic"})
_MODERN = frozenset({"moderno", "moderna", "modernos", "modernas", "modern"})

_FUZZY_SKIP = frozenset(
    """estudo estudos estudar salas saudade acessivel acesso cliente clientes contato quero queremos
    preciso precisamos gostaria pedidos pedido online simples bonito bonita pagina paginas criar
    crie fazer tambem cidade centro bairro celular telefone endereco horario horarios servicos
    servico produtos produto""".split()
)

# Largest Brazilian cities (and a few nicknames), folded -> written with accents.
_CITIES = {
    _fold(name): name
    for name in """São Paulo|Rio de Janeiro|Brasília|Salvador|Fortaleza|Belo Horizonte|Manaus|Curitiba|
    Recife|Goiânia|Belém|Porto Alegre|Guarulhos|Campinas|São Luís|São Gonçalo|Maceió|Duque de Caxias|
    Natal|Teresina|Campo Grande|São Bernardo do Campo|João Pessoa|Nova Iguaçu|Santo André|Osasco|
    Jaboatão dos Guararapes|São José dos Campos|Ribeirão Preto|Uberlândia|Sorocaba|Contagem|Aracaju|
    Feira de Santana|Cuiabá|Joinville|Juiz de Fora|Londrina|Aparecida de Goiânia|Niterói|Porto Velho|
    Florianópolis|Caxias do Sul|Vila Velha|Macapá|Mauá|São João de Meriti|Santos|Mogi das Cruzes|Betim|
    Diadema|Jundiaí|Campina Grande|Maringá|Montes Claros|Piracicaba|Carapicuíba|Olinda|Cariacica|
    Rio Branco|Anápolis|Bauru|Vitória|Caucaia|Itaquaquecetuba|São José do Rio Preto|Boa Vista|Palmas|
    Franca|Blumenau|Petrópolis|Ponta Grossa|Uberaba|Cascavel|Vitória da Conquista|Limeira|Guarujá|
    Taubaté|Praia Grande|Petrolina|Santa Maria|Governador Valadares|Gravataí|Foz do Iguaçu|Volta Redonda|
    Chapecó|Valinhos|Vinhedo|Indaiatuba|Sumaré|Americana|Hortolândia|São Carlos|Araraquara|Pelotas|
    Canoas|Novo Hamburgo|São Leopoldo|Balneário Camboriú|Itajaí|Criciúma|Cabo Frio|Búzios|Paraty|
    Gramado|Ilhéus|Porto Seguro|Caruaru|Mossoró|Imperatriz|Sobral|Juazeiro do Norte|Arapiraca|Marabá|
    Santarém|Parnamirim|Rondonópolis|Dourados|Sete Lagoas|Ipatinga|Divinópolis|Poços de Caldas|
    Lages|Guarapuava|Foz do Iguaçu|Bertioga|Ubatuba|Atibaia|Bragança Paulista|Jacareí|São Vicente""".split(
        "|"
    )
    for name in [" ".join(name.split())]
}
_CITIES.update({"sampa": "São Paulo", "floripa": "Florianópolis", "bh": "Belo Horizonte",
                "poa": "Porto Alegre", "rio": "Rio de Janeiro", "brasilia df": "Brasília"})
_CITY_TABLE = _table([(folded, display) for folded, display in _CITIES.items()])
_UFS = frozenset(
    "ac al ap am ba ce df es go ma mt ms mg pa pb pr pe pi rj rn rs ro rr sc sp se to".split()
)
_CITY_STOP = frozenset(
    """breve casa dia dias destaque promocao portugues ingles espanhol english portuguese spanish
    wordpress instagram facebook google tiktok youtube linkedin centro geral especial seguida conta
    ordem tempo alta estoque frente cima baixo todo todos toda todas qualquer ate minha meu nosso nossa
    um uma the a an my our your touch stock mind mente vez vezes janeiro fevereiro marco abril maio
    junho julho agosto setembro outubro novembro dezembro segunda terca quarta quinta sexta sabado
    domingo january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday brasil brazil portugal eua usa bairro
    shopping html css php site sites website online linha line horario hours anexo andamento
    construcao manutencao obras""".split()
) | _UFS
