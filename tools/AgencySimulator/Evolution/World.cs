using IntegrationHub.AgencySimulator.CivilAffairs;
using IntegrationHub.AgencySimulator.HumanResources;
using IntegrationHub.AgencySimulator.Justice;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.Evolution;

/// <summary>Every agency's state inside one evolution transaction.</summary>
internal sealed class World
{
    public World(PoliceTable police, SqlSession sql)
    {
        Police = police;
        Sql = sql;
        People = new PeopleStore(sql);
        Cases = new JusticeStore(sql);
        Justice = new JusticeEvolution(Cases, People, police);
        Hr = new HrEvolution(new HrStore(sql), People);
        Roster = new RosterEvolution(new RosterStore(sql), People, sql);
    }

    public PoliceTable Police { get; }

    public SqlSession Sql { get; }

    public PeopleStore People { get; }

    public JusticeStore Cases { get; }

    public JusticeEvolution Justice { get; }

    public HrEvolution Hr { get; }

    public RosterEvolution Roster { get; }
}
